namespace EdgeBroker.Core.Tests.Persistence;

/// <summary>Polls a condition with a deadline (no fixed sleeps as synchronisation).</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, int timeoutMs = 5000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                Assert.Fail($"Timed out after {timeoutMs} ms waiting for: {what}");
            }

            await Task.Delay(2); // poll interval, not a synchronisation sleep
        }
    }
}
