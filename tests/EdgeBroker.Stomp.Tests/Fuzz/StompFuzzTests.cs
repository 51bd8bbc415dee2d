namespace EdgeBroker.Stomp.Tests.Fuzz;

using System.Buffers;
using System.Globalization;
using System.Text;
using EdgeBroker.Stomp.Codec;
using EdgeBroker.Stomp.Tests.Codec;
using EdgeBroker.Tests.Fuzz;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using Xunit.Abstractions;

/// <summary>
/// Issue 8 "Fuzzing" for the STOMP codec: FsCheck mutates the valid frame corpus and the malformed-frame table
/// (byte edits, bit flips, truncation, duplicated runs, and a rewritten or injected <c>content-length</c>); the
/// real reader, under the default, pre-CONNECT and tiny limits, must parse or throw
/// <see cref="StompProtocolException"/>, finish within the per-case timeout and allocate no more than
/// <see cref="AllocationBound"/> of the input length. Fixed seeds, 2,000 cases per property. A failing (shrunk) input
/// is saved under <c>Fuzz/Regressions</c>; <see cref="EverySavedRegressionReplaysSafely"/> replays them all.
/// </summary>
[Trait("Category", "Unit")]
public sealed class StompFuzzTests(ITestOutputHelper output)
{
    private static readonly FuzzRegressions Regressions = new("EdgeBroker.Stomp.Tests");

    private static readonly StompCodecLimits[] LimitSets = [StompCodecLimits.Default, StompCodecLimits.Default.ForPreConnect(), StompMalformedFrames.Small];

    private static readonly int[] InterestingLengths = [0, 1, 2, 9, 100, 65_535, 65_536, 1_048_575, 1_048_576, 2_000_000, int.MaxValue];

    private static readonly byte[] Interesting = [0, (byte)'\n', (byte)'\r', (byte)':', (byte)'\\', (byte)'c', (byte)'n', 0xc3, 0xff, (byte)'9'];

    /// <summary>
    /// Allocation allowed for one case (six reads: contiguous and one byte per segment, under three limit sets):
    /// header strings and body copies grow with the input, never with a declared <c>content-length</c>.
    /// </summary>
    public static long AllocationBound(int inputLength) => (32 * 1024) + (16L * inputLength);

    private static Gen<StompFrameMutation> MutationGen() =>
        from kind in Gen.Choose(0, StompFrameMutation.KindCount - 1)
        from position in Gen.Choose(0, 100_000)
        from value in Gen.Frequency((2, Gen.Elements(Interesting)), (1, Gen.Choose(0, 255).Select(i => (byte)i)))
        from length in Gen.Choose(1, 40)
        select new StompFrameMutation(kind, position, value, length);

    [Fact]
    public void MutatedValidFramesParseOrFailWithAProtocolException() =>
        CheckProperty(StompValidFrames.All.Select(c => (c.Bytes, c.Version)).ToArray(), seed: 20261207);

    [Fact]
    public void MutatedBadInputFramesParseOrFailWithAProtocolException() =>
        CheckProperty(StompMalformedFrames.All.Select(c => (c.Bytes, c.Version)).ToArray(), seed: 20261208);

    [Fact]
    public void EverySavedRegressionReplaysSafely()
    {
        var saved = Regressions.All();
        Assert.NotEmpty(saved);
        foreach (var (tag, name, bytes) in saved)
        {
            var problem = Check(bytes, Enum.Parse<StompVersion>(tag));
            Assert.True(problem is null, $"{name}: {problem}");
        }

        output.WriteLine($"{saved.Count} regression inputs replayed");
    }

    private void CheckProperty((byte[] Bytes, StompVersion Version)[] sources, ulong seed)
    {
        byte[]? lastFailure = null;
        var lastVersion = StompVersion.V12;
        var cases =
            from source in Gen.Choose(0, sources.Length - 1)
            from contentLength in Gen.Frequency((1, Gen.Elements(InterestingLengths).Select(n => (int?)n)), (2, Gen.Constant((int?)null)))
            from mutations in Gen.ArrayOf(MutationGen(), 4)
            from count in Gen.Choose(0, 4)
            select (Source: source, ContentLength: contentLength, Mutations: mutations[..count]);
        var property = Prop.ForAll(Arb.From(cases), c =>
        {
            var (input, version) = sources[c.Source];
            if (c.ContentLength is { } length)
            {
                input = WithContentLength(input, length);
            }

            foreach (var mutation in c.Mutations)
            {
                input = mutation.ApplyTo(input);
            }

            var problem = Check(input, version);
            if (problem is not null)
            {
                (lastFailure, lastVersion) = (input, version);
            }

            return problem is null;
        });

        var config = Config.QuickThrowOnFailure.WithMaxTest(2000)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed), FSharpOption<int>.None)));
        try
        {
            global::FsCheck.Check.One(config, property);
        }
        catch (Exception) when (lastFailure is not null)
        {
            var path = Regressions.Save(lastVersion.ToString(), lastFailure);
            output.WriteLine($"counterexample saved to {path}: {Convert.ToHexString(lastFailure)} ({Check(lastFailure, lastVersion)})");
            throw;
        }
    }

    /// <summary>Null when reading <paramref name="input"/> kept every fuzzing rule under every limit set.</summary>
    public static string? Check(byte[] input, StompVersion version)
    {
        // Built outside the measured run: the test's one-segment-per-byte sequence allocates per byte itself.
        var contiguous = new ReadOnlySequence<byte>(input);
        var segmented = SegmentedSequence.OneBytePerSegment(input);
        return FuzzCase.Run(
            () =>
            {
                foreach (var limits in LimitSets)
                {
                    var problem = ReadAll(contiguous, version, limits) ?? ReadAll(segmented, version, limits);
                    if (problem is not null)
                    {
                        return problem;
                    }
                }

                return null;
            },
            AllocationBound(input.Length));
    }

    private static string? ReadAll(ReadOnlySequence<byte> buffer, StompVersion version, StompCodecLimits limits)
    {
        // Each frame consumes at least one byte (a heart-beat EOL), so this bound proves termination.
        var maxReads = buffer.Length + 1;
        for (var reads = 0; reads <= maxReads; reads++)
        {
            try
            {
                if (!StompFrameReader.TryRead(ref buffer, version, limits, out _))
                {
                    return null;
                }
            }
            catch (StompProtocolException)
            {
                return null;
            }
            catch (Exception ex)
            {
                return $"{ex.GetType().Name} leaked from the codec: {ex.Message}";
            }
        }

        return "the reader kept returning frames without consuming the input";
    }

    /// <summary>Replaces the digits of the first <c>content-length</c> header, or adds one after the command line.</summary>
    private static byte[] WithContentLength(byte[] input, int length)
    {
        var text = Encoding.Latin1.GetString(input);
        var value = length.ToString(CultureInfo.InvariantCulture);
        var at = text.IndexOf("content-length:", StringComparison.Ordinal);
        if (at >= 0)
        {
            var start = at + "content-length:".Length;
            var end = start;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            text = text[..start] + value + text[end..];
        }
        else if (text.IndexOf('\n', StringComparison.Ordinal) is var eol and >= 0)
        {
            text = text[..(eol + 1)] + "content-length:" + value + "\n" + text[(eol + 1)..];
        }

        return Encoding.Latin1.GetBytes(text);
    }
}
