namespace EdgeBroker.Stomp.Tests.Codec;

using EdgeBroker.Stomp.Codec;
using FsCheck;
using FsCheck.Fluent;

/// <summary>
/// Mutated valid frames either parse or raise <see cref="StompProtocolException"/> — never another
/// exception, never a loop that does not consume input — and the outcome never depends on how the
/// bytes were split. Counterexamples that needed a fix are kept as "regression-" rows in
/// <see cref="StompMalformedFrames"/> (errors) or <see cref="StompValidFrames"/> (valid inputs).
/// </summary>
[Trait("Category", "Unit")]
public sealed class StompCodecFuzzTests
{
    // Bytes that matter to the grammar, so mutations hit interesting paths more often than noise.
    private static readonly byte[] Interesting =
        [0, (byte)'\n', (byte)'\r', (byte)':', (byte)'\\', (byte)'n', (byte)'c', (byte)'r', (byte)'t', (byte)'0', (byte)'9', (byte)'-', 0xc3, 0xff, 0x80, (byte)' '];

    // Default, tight, and inverted (line limit above the frame limit, body limit below it) so every
    // limit gets to fire first somewhere.
    private static readonly StompCodecLimits[] LimitSets =
    [
        StompCodecLimits.Default,
        StompMalformedFrames.Small,
        new() { MaxFrameBytes = 48, MaxHeaderLineBytes = 100, MaxHeaders = 50, MaxBodyBytes = 5 },
    ];

    private static Gen<StompFrameMutation> MutationGen() =>
        from kind in Gen.Choose(0, StompFrameMutation.KindCount - 1)
        from position in Gen.Choose(0, 10_000)
        from value in Gen.Frequency((3, Gen.Elements(Interesting)), (1, Gen.Choose(0, 255).Select(i => (byte)i)))
        from length in Gen.Choose(1, 40)
        select new StompFrameMutation(kind, position, value, length);

    private static Gen<(int Seed, StompFrameMutation[] Mutations, int Version, int Limits, int Cut)> CaseGen() =>
        from seed in Gen.Choose(0, StompValidFrames.All.Count - 1)
        from count in Gen.Choose(1, 4)
        from mutations in Gen.ArrayOf(MutationGen(), count)
        from version in Gen.Choose(0, 2)
        from limits in Gen.Choose(0, LimitSets.Length - 1)
        from cut in Gen.Choose(0, 10_000)
        select (seed, mutations, version, limits, cut);

    [Fact]
    public void MutatedFramesParseOrFailWithAProtocolExceptionIndependentOfSplits()
    {
        var property = Prop.ForAll(Arb.From(CaseGen()), c =>
        {
            var data = StompValidFrames.All[c.Seed].Bytes;
            foreach (var mutation in c.Mutations)
            {
                data = mutation.ApplyTo(data);
            }

            Check(data, Enum.GetValues<StompVersion>()[c.Version], LimitSets[c.Limits], c.Cut);
            return true;
        });
        global::FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(Runs(1500)), property);
    }

    [Fact]
    public void RandomGrammarSoupParsesOrFailsWithAProtocolException()
    {
        var soup = Gen.Frequency(
            (4, Gen.Elements(Interesting)),
            (2, Gen.Elements("SEND\nMESSAGE\ncontent-length:3\n\0".Select(ch => (byte)ch).ToArray())),
            (1, Gen.Choose(0, 255).Select(i => (byte)i)));
        var property = Prop.ForAll(Arb.From(Gen.ArrayOf(soup)), data =>
        {
            Check(data, StompVersion.V12, StompMalformedFrames.Small, data.Length / 2);
            return true;
        });
        global::FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(Runs(1000)), property);
    }

    // STOMP_FUZZ_RUNS scales the run count for a long local hunt; CI keeps the fast default.
    private static int Runs(int defaultRuns) =>
        int.TryParse(Environment.GetEnvironmentVariable("STOMP_FUZZ_RUNS"), out var runs) && runs > 0 ? runs : defaultRuns;

    private static void Check(byte[] data, StompVersion version, StompCodecLimits limits, int cut)
    {
        // StompParse.All lets anything but StompProtocolException escape, and throws if TryRead
        // returns frames without consuming input (the "never hang" guard).
        var whole = StompParse.All(data, version, limits);
        if (data.Length > 1)
        {
            var split = StompParse.All(SegmentedSequence.Create(data, 1 + (cut % (data.Length - 1))), version, limits);
            Assert.True(whole.SameAs(split), $"split: {split} != {whole}");
        }

        var segmented = StompParse.All(SegmentedSequence.OneBytePerSegment(data), version, limits);
        Assert.True(whole.SameAs(segmented), $"segments: {segmented} != {whole}");
        if (data.Length < 400)
        {
            var trickled = StompParse.ByteByByte(data, version, limits);
            Assert.True(whole.SameAs(trickled), $"byte by byte: {trickled} != {whole}");
        }
    }
}
