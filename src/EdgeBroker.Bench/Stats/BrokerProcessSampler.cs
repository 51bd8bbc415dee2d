namespace EdgeBroker.Bench.Stats;

using System.Globalization;

/// <summary>
/// Reads a broker's CPU time and resident memory from /proc/&lt;pid&gt; (Linux). CPU is utime+stime from
/// <c>stat</c> in clock ticks (USER_HZ, 100 on every Linux this runs on); RSS is VmRSS from <c>status</c>.
/// Stateless apart from the pid; safe from any thread.
/// </summary>
public sealed class BrokerProcessSampler(int pid)
{
    private const double ClockTicksPerSecond = 100.0;

    public int Pid { get; } = pid;

    /// <summary>CPU seconds used so far (user + system), or null when the process cannot be read.</summary>
    public double? CpuSeconds()
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{Pid}/stat");
            return ParseCpuSeconds(stat);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    public long? RssBytes()
    {
        try
        {
            return ParseRssBytes(File.ReadAllText($"/proc/{Pid}/status"));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Fields 14 and 15 of /proc/pid/stat, counted after the parenthesised command name (which may hold spaces).</summary>
    internal static double? ParseCpuSeconds(string stat)
    {
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        // After ") " comes field 3 (state); utime is field 14, stime field 15.
        var fields = stat[(close + 2)..].Split(' ');
        if (fields.Length < 13)
        {
            return null;
        }

        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (utime + stime) / ClockTicksPerSecond;
    }

    internal static long? ParseRssBytes(string status)
    {
        foreach (var line in status.Split('\n'))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return null;
    }
}
