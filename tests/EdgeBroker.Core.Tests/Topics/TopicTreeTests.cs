namespace EdgeBroker.Core.Tests.Topics;

using EdgeBroker.Core.Topics;

[Trait("Category", "Unit")]
public sealed class TopicTreeTests
{
    [Fact]
    public void MatchesLiteralPlusAndHashFiltersTogether()
    {
        var tree = new TopicTree<string>();
        tree.Add("sensors/room1/temp", "exact");
        tree.Add("sensors/+/temp", "plus");
        tree.Add("sensors/#", "hash");
        tree.Add("#", "all");
        tree.Add("sensors/room2/temp", "other");

        var matched = tree.Match("sensors/room1/temp").ToArray().Order(StringComparer.Ordinal);

        Assert.Equal(["all", "exact", "hash", "plus"], matched);
    }

    [Fact]
    [Trait("Spec", "MQTT-4.7.2-1")]
    public void DoesNotMatchDollarTopicsWithALeadingWildcard()
    {
        var tree = new TopicTree<string>();
        tree.Add("#", "hash");
        tree.Add("+/uptime", "plus");
        tree.Add("$SYS/#", "sys");

        Assert.Equal(["sys"], tree.Match("$SYS/uptime").ToArray());
    }

    [Fact]
    public void HashMatchesItsParentLevel()
    {
        var tree = new TopicTree<string>();
        tree.Add("a/#", "v");
        Assert.Equal(["v"], tree.Match("a").ToArray());
        Assert.Empty(tree.Match("b").ToArray());
    }

    [Fact]
    public void AddIsIdempotentAndRemoveReportsWhetherItRemoved()
    {
        var tree = new TopicTree<string>();
        Assert.True(tree.Add("a/b", "v"));
        Assert.False(tree.Add("a/b", "v"));
        Assert.Equal(1, tree.Count);
        Assert.True(tree.Remove("a/b", "v"));
        Assert.False(tree.Remove("a/b", "v"));
        Assert.False(tree.Remove("x/y", "v"));
        Assert.Equal(0, tree.Count);
        Assert.Empty(tree.Match("a/b").ToArray());
    }

    [Fact]
    public void RemovePrunesEmptyNodesButKeepsSiblings()
    {
        var tree = new TopicTree<string>();
        tree.Add("a/b/c", "deep");
        tree.Add("a/+", "plus");
        tree.Remove("a/b/c", "deep");

        Assert.Equal([new KeyValuePair<string, string>("a/+", "plus")], tree.Entries());
        Assert.Equal(["plus"], tree.Match("a/b").ToArray());
    }

    [Fact]
    public void RejectsInvalidAndSharedFilters()
    {
        var tree = new TopicTree<string>();
        Assert.Throws<ArgumentException>(() => tree.Add("a/#/b", "v"));
        Assert.Throws<ArgumentException>(() => tree.Add("a+", "v"));
        Assert.Throws<ArgumentException>(() => tree.Add("$share/g/a", "v"));
        Assert.Throws<ArgumentException>(() => tree.Add("", "v"));
    }

    [Fact]
    public void ServesRepeatedTopicsFromTheCacheWithoutAllocating()
    {
        var tree = new TopicTree<string>();
        tree.Add("a/+", "v");
        var first = tree.Match("a/b");
        Assert.Equal(1, tree.CachedTopics);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var second = tree.Match("a/b");
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(first == second, "a cache hit returns the same result array");
    }

    [Fact]
    public void ARemovedValueIsNotKeptAliveByTheCache()
    {
        var tree = new TopicTree<object>();
        tree.Add("keep/#", new object());
        var removed = SubscribeMatchAndRemove(tree);
        tree.Match("keep/1"); // other cached topics must not pin it either

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(removed.IsAlive, "the match cache still references a removed subscription");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference SubscribeMatchAndRemove(TopicTree<object> tree)
    {
        var closedConnection = new byte[1024];
        tree.Add("plant/+", closedConnection);
        Assert.Equal(1, tree.Match("plant/7").Length); // cached with the value in it
        Assert.True(tree.Remove("plant/+", closedConnection));
        return new WeakReference(closedConnection);
    }

    [Fact]
    public void InvalidatesTheCacheOnEverySubscribeAndUnsubscribe()
    {
        var tree = new TopicTree<string>();
        tree.Add("a/+", "one");
        Assert.Equal(["one"], tree.Match("a/b").ToArray());

        tree.Add("a/b", "two");
        Assert.Equal(["one", "two"], tree.Match("a/b").ToArray().Order(StringComparer.Ordinal));

        tree.Remove("a/+", "one");
        Assert.Equal(["two"], tree.Match("a/b").ToArray());
    }

    [Fact]
    public void KeepsTheCacheBounded()
    {
        var tree = new TopicTree<string>(cacheCapacity: 16);
        tree.Add("#", "v");
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(1, tree.Match($"t/{i}").Length);
            Assert.True(tree.CachedTopics <= 16);
        }
    }

    [Fact]
    public void DoesNotCacheVeryLongTopics()
    {
        var tree = new TopicTree<string>();
        tree.Add("#", "v");
        var longTopic = new string('x', TopicTree<string>.MaxCachedTopicLength + 1);
        Assert.Equal(["v"], tree.Match(longTopic).ToArray());
        Assert.Equal(0, tree.CachedTopics);
    }

    [Fact]
    public void DoesNotCacheVeryLargeResults()
    {
        var tree = new TopicTree<int>();
        for (var i = 0; i <= TopicTree<int>.MaxCachedResultLength; i++)
        {
            tree.Add("#", i);
        }

        Assert.Equal(TopicTree<int>.MaxCachedResultLength + 1, tree.Match("a").Length);
        Assert.Equal(0, tree.CachedTopics);
    }

    [Fact]
    public void MatchesWithTheCacheDisabled()
    {
        var tree = new TopicTree<string>(cacheCapacity: 0);
        tree.Add("a/#", "v");
        Assert.Equal(["v"], tree.Match("a/b/c").ToArray());
        Assert.Equal(0, tree.CachedTopics);
    }

    [Fact]
    public void MatchingALiteralLevelDoesNotAllocatePerLevel()
    {
        var tree = new TopicTree<string>(cacheCapacity: 0);
        tree.Add("a/b/c/d/e/f", "v");
        tree.Match("a/b/c/d/e/x");

        // A miss with no result allocates nothing at all: levels are probed as spans, and the empty result is shared.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = tree.Match("a/b/c/d/e/x");
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(result.IsEmpty);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void OrdersResultsWithTheGivenComparer()
    {
        var tree = new TopicTree<int>(resultOrder: Comparer<int>.Default);
        foreach (var value in new[] { 5, 3, 9, 1 })
        {
            tree.Add(value % 2 == 0 ? "a/+" : $"a/#", value);
        }

        Assert.Equal([1, 3, 5, 9], tree.Match("a/b").ToArray());
    }

    [Fact]
    public void CollectsMatchesIntoACollection()
    {
        var tree = new TopicTree<string>();
        tree.Add("a/+", "v");
        var into = new List<string>();
        tree.Match("a/b", into);
        Assert.Equal(["v"], into);
    }

    [Fact]
    public async Task StaysConsistentUnderConcurrentReadersAndWriters()
    {
        var tree = new TopicTree<int>(cacheCapacity: 64);
        tree.Add("stable/#", -1);
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 3).Select(r => Task.Run(() =>
        {
            var reads = 0;
            while (!stop.IsCancellationRequested || reads < 1000)
            {
                var result = tree.Match($"stable/{reads % 50}");

                // The stable subscription is never removed, so every read must see it.
                Assert.Contains(-1, result.ToArray());
                reads++;
            }
        })).ToArray();

        for (var i = 0; i < 2000; i++)
        {
            tree.Add($"stable/{i % 50}", i);
            tree.Remove($"stable/{i % 50}", i);
        }

        await stop.CancelAsync();
        await Task.WhenAll(readers);
        Assert.Equal(1, tree.Count);
        Assert.Equal([-1], tree.Match("stable/7").ToArray());
    }
}
