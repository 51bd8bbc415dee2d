namespace EdgeBroker.Stomp.Tests.Server;

/// <summary>Waits for a condition by polling with a deadline (never a bare sleep as synchronization).</summary>
internal static class Poll
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("condition not met before the deadline");
            }

            await Task.Delay(10); // poll interval; the loop re-checks the condition
        }
    }
}
