package io.credits.bench;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Reads where a benchmark runs: CPUs, CPU model, memory and load average (from /proc on Linux). */
public final class MachineInfo {
    private MachineInfo() {}

    public static Results.Machine read(DataSource db, String redisVersion, double loadAtStart) {
        return new Results.Machine(Runtime.getRuntime().availableProcessors(), cpuModel(), memoryBytes(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.vendor") + " " + Runtime.version(), postgres(db), redisVersion, loadAtStart,
                loadAverage());
    }

    /** The one-minute load average, or -1 where /proc/loadavg is not there. */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    static long memoryBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo")))
                if (line.startsWith("MemTotal:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return Runtime.getRuntime().maxMemory();
    }

    static String postgres(DataSource db) {
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            return "unknown";
        }
    }
}
