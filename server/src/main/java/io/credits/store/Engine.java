package io.credits.store;

import io.credits.account.Account;
import io.credits.account.AccountState;
import io.credits.account.Command;
import io.credits.account.Ids;
import io.credits.account.Outcome;
import io.credits.account.RefusalCode;
import io.credits.account.UseRecord;
import io.credits.catalog.Catalog;
import io.credits.hold.Hold;
import io.credits.ledger.Grant;
import io.credits.project.Project;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Owns the flow of every change: find the account, lock it, load, bring it up to date, decide,
 * write, commit, and only then answer.
 *
 * <p>Speed comes from batching: requests go to a lane chosen by their account, and a lane takes
 * everything that waits in it into one transaction (one lock per account, one commit for all).
 * Correctness does not depend on the lanes: every unit of work locks its account rows in the
 * database, in id order, so any number of engines in any number of processes can share a database.
 */
public final class Engine implements AutoCloseable {
    /** The most requests one transaction takes. */
    public static final int BATCH_MAX = 1_000;

    /** Whom a request is for: the account, or something that names it. */
    public sealed interface Target {
        /** @param create whether the account comes into being if it does not exist (its first mention) */
        record OfAccount(String account, boolean create) implements Target {}

        record OfProject(String project) implements Target {}

        record OfHold(String holdId) implements Target {}

        record OfUse(String useId) implements Target {}
    }

    /** A command for a target; a null command only brings the account up to date. */
    public record Request(Target target, Command command, String idempotencyKey) {
        public static Request catchUp(String account) {
            return new Request(new Target.OfAccount(account, false), null, null);
        }
    }

    private final DataSource dataSource;
    private final Catalog catalog;
    private final Clock clock;
    private final ZoneId defaultZone;
    private final List<Lane> lanes = new ArrayList<>();
    private final Map<String, String> projectOwners = new ConcurrentHashMap<>();

    public Engine(DataSource dataSource, Catalog catalog, Clock clock, ZoneId defaultZone, int laneCount) {
        if (laneCount < 1 || laneCount > 256) throw new IllegalArgumentException("laneCount must be 1..256: " + laneCount);
        this.dataSource = dataSource;
        this.catalog = catalog;
        this.clock = clock;
        this.defaultZone = defaultZone;
        for (int i = 0; i < laneCount; i++) lanes.add(new Lane("credits-lane-" + i, BATCH_MAX, this::runBatch));
    }

    public Catalog catalog() {
        return catalog;
    }

    public Clock clock() {
        return clock;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Runs a request and waits for its commit. */
    public Outcome execute(Request request) {
        try {
            return submit(request).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a commit", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Queues a request; the future completes after its transaction commits (or fails). */
    public CompletableFuture<Outcome> submit(Request request) {
        if (request.command() != null) {
            Optional<Outcome.Refused> invalid = Account.invalid(request.command());
            if (invalid.isPresent()) return CompletableFuture.completedFuture(invalid.get());
        }
        Optional<String> account = route(request.target());
        if (account.isEmpty()) return CompletableFuture.completedFuture(notFound(request.target()));
        Lane lane = lanes.get(Math.floorMod(account.get().hashCode(), lanes.size()));
        return lane.offer(account.get(), request);
    }

    private Optional<String> route(Target target) {
        return switch (target) {
            case Target.OfAccount t -> Optional.of(t.account());
            case Target.OfHold t -> Ids.parse("hold", t.holdId()).map(Ids.Parsed::account);
            case Target.OfUse t -> Ids.parse("use", t.useId()).map(Ids.Parsed::account);
            case Target.OfProject t -> projectOwner(t.project());
        };
    }

    /** The owner of a project; an owner never changes, so it is cached once found. */
    public Optional<String> projectOwner(String project) {
        String cached = projectOwners.get(project);
        if (cached != null) return Optional.of(cached);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT account_id FROM projects WHERE project_id = ?")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                projectOwners.put(project, rs.getString(1));
                return Optional.of(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot look up project " + project, e);
        }
    }

    private static Outcome.Refused notFound(Target target) {
        String what = switch (target) {
            case Target.OfAccount t -> "no account '" + t.account() + "'";
            case Target.OfProject t -> "no project '" + t.project() + "'";
            case Target.OfHold t -> "no hold '" + t.holdId() + "'";
            case Target.OfUse t -> "no use '" + t.useId() + "'";
        };
        return Outcome.refuse(RefusalCode.NOT_FOUND, what);
    }

    // ---------------------------------------------------------------- one transaction

    /** Runs the requests of many accounts in one transaction; answers them in arrival order. */
    private Map<Lane.Pending, Outcome> runBatch(List<Lane.Pending> batch) throws SQLException {
        Instant now = clock.instant();
        Map<String, List<Lane.Pending>> byAccount = new LinkedHashMap<>();
        for (Lane.Pending p : batch) byAccount.computeIfAbsent(p.account(), k -> new ArrayList<>()).add(p);
        Map<Lane.Pending, Outcome> out = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Loaded loaded = lockAndLoad(c, byAccount);
                Map<String, AccountState> states = loaded.accounts;
                Set<String> fresh = firstMentions(byAccount, states, now);
                loadRequested(c, byAccount, states, loaded);
                List<Account> touched = new ArrayList<>();
                List<String> created = new ArrayList<>();
                List<Idempotency.Row> keys = new ArrayList<>();
                List<RefusalLog.Refusal> refusals = new ArrayList<>();
                for (var e : byAccount.entrySet()) {
                    AccountState state = states.get(e.getKey());
                    if (state == null) {
                        for (Lane.Pending p : e.getValue()) out.put(p, notFound(p.request().target()));
                        continue;
                    }
                    Account account = loaded.restore(catalog, state);
                    Idempotency idem = new Idempotency(loaded.keys.getOrDefault(e.getKey(), Map.of()));
                    boolean anyDone = false;
                    for (Lane.Pending p : e.getValue()) {
                        Outcome o = decide(account, p.request(), idem, now);
                        out.put(p, o);
                        anyDone |= o instanceof Outcome.Done;
                        if (o instanceof Outcome.Refused r)
                            RefusalLog.of(e.getKey(), p.request().command(), r, now).ifPresent(refusals::add);
                    }
                    if (fresh.contains(e.getKey())) {
                        if (!anyDone) continue; // refused from the start: the account does not come into being
                        created.add(e.getKey());
                    }
                    account.advanceTo(now);
                    touched.add(account);
                    keys.addAll(idem.newRows(e.getKey(), now));
                }
                AccountStore.insertNew(c, created, defaultZone, now);
                Pipeline writes = new Pipeline();
                AccountStore.write(c, touched, states, now, writes);
                Idempotency.insert(keys, writes);
                RefusalLog.insert(refusals, writes);
                writes.execute(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                Transactions.rollbackAfter(c, e);
                throw e;
            }
        }
        return out;
    }

    private Outcome decide(Account account, Request r, Idempotency idem, Instant now) {
        if (r.command() == null) {
            account.advanceTo(now);
            return new Outcome.Done(new io.credits.account.Answer.Ok(account.id(), account.snapshot()));
        }
        String hash = r.idempotencyKey() == null ? null : hash(r);
        if (hash != null) {
            Optional<Outcome> replay = idem.replay(r.idempotencyKey(), hash);
            if (replay.isPresent()) return replay.get();
        }
        Outcome o = account.execute(r.command(), now);
        if (hash != null && o instanceof Outcome.Done d) idem.remember(r.idempotencyKey(), hash, d.answer());
        return o;
    }

    static String hash(Request r) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] digest = md.digest((r.target() + "|" + r.command()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Accounts named for the first time by a request that may create them get a fresh state in
     * memory; their row is inserted only if a request is accepted. The insert has no ON CONFLICT:
     * if another process creates the same account meanwhile, this transaction fails and the lane
     * runs the account again, this time finding (and locking) the other's row.
     */
    private Set<String> firstMentions(Map<String, List<Lane.Pending>> byAccount, Map<String, AccountState> states,
                                      Instant now) {
        Set<String> fresh = new TreeSet<>();
        for (var e : byAccount.entrySet()) {
            if (states.containsKey(e.getKey())) continue;
            boolean creatable = e.getValue().stream().anyMatch(p ->
                    p.request().target() instanceof Target.OfAccount t && t.create() && p.request().command() != null);
            if (creatable) {
                states.put(e.getKey(), AccountState.fresh(e.getKey(), defaultZone, now));
                fresh.add(e.getKey());
            }
        }
        return fresh;
    }

    /** Everything the accounts of a batch may touch, read with their locks. */
    private static final class Loaded {
        Map<String, AccountState> accounts = new HashMap<>();
        Map<String, List<Grant>> grants = new HashMap<>();
        Map<String, List<Hold>> holds = new HashMap<>();
        Map<String, List<UseRecord>> uses = new HashMap<>();
        Map<String, Project> projects = new HashMap<>();
        Map<String, Map<String, Idempotency.Stored>> keys = new HashMap<>();

        Account restore(Catalog catalog, AccountState state) {
            String id = state.id();
            return Account.restore(catalog, state, grants.getOrDefault(id, List.of()), holds.getOrDefault(id, List.of()),
                    uses.getOrDefault(id, List.of()), projects.values());
        }
    }

    /**
     * In one round trip: locks the batch's accounts (in id order) and reads their live grants,
     * open holds and the stored idempotency keys of its requests. The statements run in order in
     * this transaction, so the reads come after the locks, as if sent one by one.
     */
    private static Loaded lockAndLoad(Connection c, Map<String, List<Lane.Pending>> byAccount) throws SQLException {
        Loaded l = new Loaded();
        java.sql.Array ids = AccountStore.textArray(c, new TreeSet<>(byAccount.keySet()));
        try (PreparedStatement ps = c.prepareStatement(String.join(";\n", AccountStore.LOCK_ACCOUNTS,
                AccountStore.ACTIVE_GRANTS, AccountStore.OPEN_HOLDS, Idempotency.PROBE))) {
            ps.setArray(1, ids);
            ps.setArray(2, ids);
            ps.setArray(3, ids);
            Idempotency.bindProbe(c, ps, 4, byAccount);
            ps.execute();
            l.accounts = AccountStore.accounts(next(ps, false));
            l.grants = AccountStore.grants(next(ps, true));
            l.holds = AccountStore.holds(next(ps, true));
            l.keys = Idempotency.stored(next(ps, true));
        }
        return l;
    }

    private static ResultSet next(PreparedStatement ps, boolean advance) throws SQLException {
        if (advance && !ps.getMoreResults()) throw new SQLException("a result of the batch's reads is missing");
        return ps.getResultSet();
    }

    /** Holds, uses and projects named by the batch's requests, which the first reads did not cover. */
    private void loadRequested(Connection c, Map<String, List<Lane.Pending>> byAccount, Map<String, AccountState> states,
                           Loaded l) throws SQLException {
        List<String> ids = new ArrayList<>(states.keySet());
        if (ids.isEmpty()) return;
        Set<String> projectIds = new TreeSet<>();
        for (String id : ids) {
            Set<String> holdIds = new TreeSet<>();
            Set<String> useIds = new TreeSet<>();
            for (Lane.Pending p : byAccount.get(id)) {
                Command cmd = p.request().command();
                switch (cmd) {
                    case Command.Capture x -> holdIds.add(x.holdId());
                    case Command.Release x -> holdIds.add(x.holdId());
                    case Command.Refund x -> useIds.add(x.useId());
                    case Command.Use x -> x.actor().projectId().ifPresent(projectIds::add);
                    case Command.Reserve x -> x.actor().projectId().ifPresent(projectIds::add);
                    case Command.CreateProject x -> projectIds.add(x.projectId());
                    case Command.SetMember x -> projectIds.add(x.projectId());
                    case null, default -> { }
                }
            }
            loadNamed(c, id, l, holdIds, useIds);
        }
        if (!projectIds.isEmpty()) l.projects = AccountStore.loadProjects(c, projectIds);
    }

    /** Holds and uses named by captures, releases and refunds, with the ended grants they came from. */
    private static void loadNamed(Connection c, String id, Loaded l, Set<String> holdIds, Set<String> useIds)
            throws SQLException {
        List<Hold> open = l.holds.computeIfAbsent(id, k -> new ArrayList<>());
        Set<String> have = new TreeSet<>();
        open.forEach(h -> have.add(h.id()));
        holdIds.removeAll(have);
        if (!holdIds.isEmpty()) open.addAll(AccountStore.loadHolds(c, id, holdIds).getOrDefault(id, List.of()));
        if (useIds.isEmpty()) return;
        List<UseRecord> uses = AccountStore.loadUses(c, id, useIds);
        l.uses.put(id, uses);
        List<Grant> grants = l.grants.computeIfAbsent(id, k -> new ArrayList<>());
        Set<Long> need = AccountStore.grantSeqs(uses.stream().map(UseRecord::portions).toList());
        grants.forEach(g -> need.remove(g.seq));
        if (!need.isEmpty()) grants.addAll(AccountStore.loadGrants(c, id, need).getOrDefault(id, List.of()));
    }

    // ---------------------------------------------------------------- reading and catching up

    /** The account as of now, brought up to date in memory only; empty if it does not exist. */
    public Optional<Account> read(String accountId) {
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                Map<String, AccountState> states = AccountStore.loadAccounts(c, List.of(accountId), false);
                AccountState state = states.get(accountId);
                if (state == null) return Optional.empty();
                Loaded l = new Loaded();
                l.grants = AccountStore.loadActiveGrants(c, List.of(accountId));
                l.holds = AccountStore.loadOpenHolds(c, List.of(accountId));
                Account a = l.restore(catalog, state);
                a.advanceTo(now);
                return Optional.of(a);
            } finally {
                Transactions.endReadOnly(c);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read account " + accountId, e);
        }
    }

    /**
     * Brings every account with something due by now up to date, in batches of at most
     * {@code batchSize}; reports progress after each batch. Returns how many were brought.
     *
     * <p>The next batch is fetched and queued while the last one runs, so the lanes are not left
     * idle waiting for the slowest of them (nor for the query of the next ids) between batches.
     */
    public long catchUp(int batchSize, java.util.function.LongConsumer progress) {
        Instant now = clock.instant();
        long done = 0;
        String after = "";
        List<CompletableFuture<Outcome>> running = List.of();
        while (true) {
            List<String> due = dueAccounts(now, after, batchSize);
            List<CompletableFuture<Outcome>> queued = new ArrayList<>();
            for (String id : due) queued.add(submit(Request.catchUp(id)));
            for (CompletableFuture<Outcome> f : running) f.join();
            if (!running.isEmpty()) {
                done += running.size();
                progress.accept(done);
            }
            if (due.isEmpty()) return done;
            after = due.getLast();
            running = queued;
        }
    }

    private List<String> dueAccounts(Instant now, String after, int limit) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT account_id FROM accounts WHERE next_due_at <= ? AND account_id > ?
                     ORDER BY account_id LIMIT ?""")) {
            ps.setTimestamp(1, AccountStore.ts(now));
            ps.setString(2, after);
            ps.setInt(3, limit);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot list due accounts", e);
        }
    }

    @Override
    public void close() {
        for (Lane lane : lanes) lane.close();
    }
}
