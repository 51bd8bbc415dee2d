namespace EdgeBroker.Core.Tests.Topics;

using EdgeBroker.Core.Topics;
using FsCheck;
using FsCheck.Fluent;

/// <summary>The trie against its oracle: for random filters, topics and removals, TopicTree.Match equals brute force.</summary>
[Trait("Category", "Unit")]
public sealed class TopicTreePropertyTests
{
    // A small alphabet so that random filters and topics actually collide, with '$sys', empty levels and wildcards.
    private static readonly string[] Levels = ["a", "b", "$sys", ""];

    private static Gen<string> TopicGen =>
        Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(Gen.Elements(Levels), n)).Select(levels => NonEmpty(string.Join('/', levels)));

    private static Gen<string> FilterGen =>
        from n in Gen.Choose(1, 4)
        from levels in Gen.ArrayOf(Gen.Frequency((3, Gen.Elements(Levels)), (2, Gen.Constant("+"))), n)
        from hash in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        select hash ? (n == 1 && levels[0].Length == 0 ? "#" : string.Join('/', levels) + "/#") : NonEmpty(string.Join('/', levels));

    private static Gen<Scenario> ScenarioGen =>
        from filters in Gen.ListOf(FilterGen).Select(f => f.Take(25).ToArray())
        from topics in Gen.ListOf(TopicGen).Select(t => t.Take(15).ToArray())
        from removeMask in Gen.ArrayOf(Gen.Elements(true, false), 25)
        from capacity in Gen.Elements(0, 4, 4096)
        select new Scenario(filters, topics, removeMask, capacity);

    [Fact]
    public void MatchEqualsBruteForceIncludingAfterRemoves()
    {
        var property = Prop.ForAll(Arb.From(ScenarioGen), scenario =>
        {
            var tree = new TopicTree<int>(scenario.CacheCapacity);
            var entries = new List<(string Filter, int Id)>();
            for (var i = 0; i < scenario.Filters.Length; i++)
            {
                Assert.Equal(TopicError.None, TopicFilter.Validate(scenario.Filters[i]));
                tree.Add(scenario.Filters[i], i);
                entries.Add((scenario.Filters[i], i));
            }

            CheckAll(tree, entries, scenario.Topics);

            // Remove some entries after the cache has been filled: stale cached results must never be returned.
            foreach (var (filter, id) in entries.Where(e => scenario.RemoveMask[e.Id]).ToList())
            {
                Assert.True(tree.Remove(filter, id));
                entries.Remove((filter, id));
            }

            CheckAll(tree, entries, scenario.Topics);
            Assert.Equal(entries.Count, tree.Count);
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }

    // A single empty level would be the empty string, which is neither a valid topic nor filter.
    private static string NonEmpty(string text) => text.Length == 0 ? "/" : text;

    private static void CheckAll(TopicTree<int> tree, List<(string Filter, int Id)> entries, string[] topics)
    {
        foreach (var topic in topics)
        {
            var expected = entries.Where(e => TopicFilter.Matches(e.Filter, topic)).Select(e => e.Id).Order().ToArray();
            var actual = tree.Match(topic).ToArray().Order().ToArray();
            Assert.True(expected.SequenceEqual(actual), $"topic '{topic}': expected [{string.Join(',', expected)}] got [{string.Join(',', actual)}] for filters [{string.Join(" | ", entries.Select(e => $"{e.Id}:{e.Filter}"))}]");
        }
    }

    public sealed record Scenario(string[] Filters, string[] Topics, bool[] RemoveMask, int CacheCapacity)
    {
        public override string ToString() =>
            $"filters=[{string.Join(" | ", Filters)}] topics=[{string.Join(" | ", Topics)}] cache={CacheCapacity}";
    }
}
