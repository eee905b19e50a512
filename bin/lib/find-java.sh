# Finds a JDK 21 or newer; sourced by bin/credits, bin/test and .ci/run.
#
#   credits_find_java   sets JAVA_HOME (exported) and CREDITS_JAVA (its bin/java), or prints one
#                       line to stderr saying what is missing and returns 1.
#
# Looks in this order: $JAVA_HOME, `java` on PATH, then /usr/lib/jvm/* (newest first).
# A candidate must have bin/java and bin/javac: the launcher may need to build.

CREDITS_JAVA_MIN=21

# The major version of the JDK in $1, or nothing. Reads the `release` file when there is one
# (no JVM start), else asks java itself.
credits_java_major() {
  local home=$1 v=""
  if [ -r "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release" 2>/dev/null)
  fi
  if [ -z "$v" ] && [ -x "$home/bin/java" ]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  case $v in
    1.*) v=${v#1.} ;; # 1.8.0_392 is Java 8
  esac
  v=${v%%[!0-9]*}
  printf '%s' "$v"
}

# Succeeds if $1 is a JDK home of version $CREDITS_JAVA_MIN or newer.
credits_java_ok() {
  local home=$1 major=""
  [ -n "$home" ] && [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 1
  major=$(credits_java_major "$home")
  [ -n "$major" ] && [ "$major" -ge "$CREDITS_JAVA_MIN" ]
}

credits_find_java() {
  local candidate="" java_on_path="" best="" best_major=0 major="" home=""
  if credits_java_ok "${JAVA_HOME:-}"; then
    candidate=$JAVA_HOME
  else
    java_on_path=$(command -v java 2>/dev/null || true)
    if [ -n "$java_on_path" ]; then
      java_on_path=$(readlink -f "$java_on_path")
      candidate=${java_on_path%/bin/java}
      credits_java_ok "$candidate" || candidate=""
    fi
    if [ -z "$candidate" ]; then
      for home in /usr/lib/jvm/*; do
        [ -d "$home" ] || continue
        credits_java_ok "$home" || continue
        major=$(credits_java_major "$home")
        if [ "$major" -gt "$best_major" ]; then
          best=$home
          best_major=$major
        fi
      done
      candidate=$best
    fi
  fi
  if [ -z "$candidate" ]; then
    echo "credits: needs a JDK $CREDITS_JAVA_MIN or newer and found none (in JAVA_HOME, on PATH, in /usr/lib/jvm); install one (e.g. Temurin $CREDITS_JAVA_MIN) and point JAVA_HOME at it: export JAVA_HOME=/path/to/jdk-$CREDITS_JAVA_MIN" >&2
    return 1
  fi
  JAVA_HOME=$candidate
  export JAVA_HOME
  CREDITS_JAVA=$JAVA_HOME/bin/java
}
