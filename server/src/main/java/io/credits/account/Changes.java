package io.credits.account;

import io.credits.hold.Hold;
import io.credits.ledger.Entry;
import io.credits.project.Project;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a unit of work on one account decided, for the store to write in one transaction: the new
 * ledger entries, and the rows (grants, holds, uses, projects) whose projection changed.
 */
public final class Changes {
    public final List<Entry> entries = new ArrayList<>();
    public final Set<Long> newGrants = new LinkedHashSet<>();
    public final Set<Long> changedGrants = new LinkedHashSet<>();
    public final Map<String, Hold> holds = new LinkedHashMap<>();
    public final Set<String> newHolds = new LinkedHashSet<>();
    public final Map<String, UseRecord> uses = new LinkedHashMap<>();
    public final Set<String> newUses = new LinkedHashSet<>();
    public final List<Charge> charges = new ArrayList<>();
    public final List<Event> events = new ArrayList<>();
    public final Map<String, Project> projects = new LinkedHashMap<>();
    public final Set<String> newProjects = new LinkedHashSet<>();

    public boolean isEmpty() {
        return entries.isEmpty() && changedGrants.isEmpty() && newGrants.isEmpty() && holds.isEmpty()
                && uses.isEmpty() && charges.isEmpty() && events.isEmpty() && projects.isEmpty();
    }
}
