namespace EdgeBroker.Interop.Tests.Faults;

using System.Diagnostics;

/// <summary>Counts the broker's Warning lines (Serilog console level WRN) that match a filter, and waits for a count.</summary>
public static class BrokerLogCounter
{
    public static int Count(BrokerProcess broker, Func<string, bool> match) =>
        broker.ReadLog().Split('\n').Count(l => l.Contains(" WRN]", StringComparison.Ordinal) && match(l));

    /// <summary>Polls the log (written asynchronously from the child's stdout) until at least <paramref name="expected"/> lines match.</summary>
    public static async Task<int> WaitForAsync(BrokerProcess broker, Func<string, bool> match, int expected, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var count = Count(broker, match);
        while (count < expected && clock.Elapsed < timeout)
        {
            await Task.Delay(20); // poll interval; the loop re-checks the condition
            count = Count(broker, match);
        }

        return count;
    }
}
