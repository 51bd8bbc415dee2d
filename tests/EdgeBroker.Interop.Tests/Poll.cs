namespace EdgeBroker.Interop.Tests;

using System.Diagnostics;

/// <summary>Polling with a deadline, for conditions observed from outside the broker process (metrics, its log).</summary>
internal static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < timeout, failure);
            await Task.Delay(50); // poll interval
        }
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string failure) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, failure);
}
