# Makes sure Debian's Chromium and its WebDriver are installed for the browser tests; sourced by .ci/run.
#
#   credits_ensure_browser [PATH...]   succeeds when every PATH (default: /usr/bin/chromium and
#                                      /usr/bin/chromedriver, where the tests look) is executable,
#                                      installing the packages chromium and chromium-driver with
#                                      apt-get first when one is missing (as root, else through
#                                      `sudo -n`); otherwise prints to stderr why not and returns 1.
#
# Nothing is installed when both are there. The tests fail, never skip, without them.

CREDITS_BROWSER_PACKAGES="chromium chromium-driver"

credits_ensure_browser() {
  local paths=("$@") p missing="" sudo=""
  [ ${#paths[@]} -gt 0 ] || paths=(/usr/bin/chromium /usr/bin/chromedriver)
  for p in "${paths[@]}"; do
    [ -x "$p" ] || missing="$missing $p"
  done
  [ -n "$missing" ] || return 0

  if [ "$(id -u)" != 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "ci: the browser tests need$missing (Debian packages $CREDITS_BROWSER_PACKAGES), and this user can install nothing (not root, no sudo): run as root: apt-get install -y $CREDITS_BROWSER_PACKAGES" >&2
      return 1
    fi
    sudo="sudo -n"
  fi
  echo "ci: missing$missing: installing $CREDITS_BROWSER_PACKAGES with apt-get${sudo:+ through sudo}"
  # shellcheck disable=SC2086 # $sudo is empty or two words on purpose
  if ! { $sudo apt-get update -q && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $CREDITS_BROWSER_PACKAGES; }; then
    echo "ci: could not install $CREDITS_BROWSER_PACKAGES with apt-get${sudo:+ through sudo (it must not ask for a password)}: the browser tests cannot run" >&2
    return 1
  fi
  for p in "${paths[@]}"; do
    if [ ! -x "$p" ]; then
      echo "ci: $p is still missing after installing $CREDITS_BROWSER_PACKAGES" >&2
      return 1
    fi
  done
}
