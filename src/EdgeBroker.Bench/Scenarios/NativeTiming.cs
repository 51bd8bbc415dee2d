namespace EdgeBroker.Bench.Scenarios;

using System.Runtime.InteropServices;

/// <summary>
/// Sub-millisecond sleeps for fixed-rate publishers. .NET timers and Thread.Sleep have 1 ms granularity, which
/// would add up to 1 ms of the tool's own delay to every latency measured from the intended send time; Linux
/// <c>usleep</c> with the thread's timer slack lowered to 1 ns wakes within tens of microseconds instead.
/// Falls back to Thread.Sleep off Linux.
/// </summary>
internal static partial class NativeTiming
{
    private const int PrSetTimerSlack = 29;

    public static void TightenTimerSlack()
    {
        if (OperatingSystem.IsLinux())
        {
            _ = Prctl(PrSetTimerSlack, 1, 0, 0, 0);
        }
    }

    public static void SleepMicros(long micros)
    {
        if (micros <= 0)
        {
            return;
        }

        if (OperatingSystem.IsLinux())
        {
            _ = USleep((uint)Math.Min(micros, 1_000_000));
        }
        else
        {
            Thread.Sleep(TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, micros * 10)));
        }
    }

    [LibraryImport("libc", EntryPoint = "usleep")]
    private static partial int USleep(uint microseconds);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int Prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);
}
