namespace EdgeBroker.Mqtt.Tests.Fuzz;

using System.Buffers;
using EdgeBroker.Mqtt.Codec;
using EdgeBroker.Mqtt.Tests.Codec;
using EdgeBroker.Tests.Fuzz;
using FsCheck;
using FsCheck.Fluent;
using Xunit.Abstractions;

/// <summary>
/// Issue 8 "Fuzzing" for the MQTT codec: FsCheck mutates the valid sample packets and the rows of the malformed
/// table (bit flips, byte edits, truncation, remaining-length and 16-bit length rewrites, duplicated runs); the real
/// reader must parse or throw <see cref="MqttProtocolException"/>, finish within the per-case timeout and allocate
/// no more than <see cref="AllocationBound"/> of the input length (a declared length never turns into an allocation).
/// Fixed seed and 2,000 cases per property keep CI time bounded. A failing (shrunk) input is saved under
/// <c>Fuzz/Regressions</c> and <see cref="EverySavedRegressionReplaysSafely"/> replays them all.
/// </summary>
[Trait("Category", "Unit")]
public sealed class MqttFuzzTests(ITestOutputHelper output)
{
    private static readonly FuzzRegressions Regressions = new("EdgeBroker.Mqtt.Tests");

    private static readonly MqttProtocolVersion[] Versions = [MqttProtocolVersion.Unknown, MqttProtocolVersion.V310, MqttProtocolVersion.V311, MqttProtocolVersion.V500];

    private static readonly byte[][] BadVectors = [.. MqttMalformedPackets.Rows().Select(row => Hex.Parse((string)row[0]))];

    /// <summary>
    /// Allocation allowed for one case: decoded strings, lists and packet objects grow with the input (read twice:
    /// contiguous and one byte per segment), never with a length the input declares.
    /// </summary>
    public static long AllocationBound(int inputLength) => (32 * 1024) + (16L * inputLength);

    private static Gen<MqttFuzzMutation> MutationGen() =>
        from kind in Gen.Choose(0, MqttFuzzMutation.KindCount - 1)
        from position in Gen.Choose(0, 100_000)
        from value in Gen.Choose(0, 255)
        from length in Gen.Frequency((3, Gen.Elements(MqttFuzzMutation.InterestingLengths)), (1, Gen.Choose(0, 0x0FFF_FFFF)))
        select new MqttFuzzMutation(kind, position, (byte)value, length);

    [Fact]
    public void MutatedValidPacketsParseOrFailWithAProtocolException() =>
        CheckProperty(MqttSamplePackets.All.Select(s => s.Bytes).ToArray(), seed: 20261205);

    [Fact]
    public void MutatedBadInputVectorsParseOrFailWithAProtocolException() =>
        CheckProperty(BadVectors, seed: 20261206);

    [Fact]
    public void EverySavedRegressionReplaysSafely()
    {
        var saved = Regressions.All();
        Assert.NotEmpty(saved);
        foreach (var (tag, name, bytes) in saved)
        {
            var problem = Check(bytes, Enum.Parse<MqttProtocolVersion>(tag));
            Assert.True(problem is null, $"{name}: {problem}");
        }

        output.WriteLine($"{saved.Count} regression inputs replayed");
    }

    [Fact]
    public void AHugeDeclaredLengthAllocatesNothingProportionalToIt()
    {
        // 256 MiB declared, 5 bytes present: refused (or waiting) without a buffer of the declared size.
        Assert.Null(Check(Hex.Parse("30 FF FF FF 7F"), MqttProtocolVersion.V500));
        Assert.Null(Check(Hex.Parse("30 FF FF 3F 00 01 61"), MqttProtocolVersion.V311));
    }

    private void CheckProperty(byte[][] sources, ulong seed)
    {
        byte[]? lastFailure = null;
        var lastVersion = MqttProtocolVersion.Unknown;
        var cases =
            from source in Gen.Choose(0, sources.Length - 1)
            from version in Gen.Choose(0, Versions.Length - 1)
            from mutations in Gen.ArrayOf(MutationGen(), 4)
            from count in Gen.Choose(1, 4)
            select (Source: source, Version: Versions[version], Mutations: mutations[..count]);
        var property = Prop.ForAll(Arb.From(cases), c =>
        {
            var input = sources[c.Source];
            foreach (var mutation in c.Mutations)
            {
                input = mutation.ApplyTo(input);
            }

            var problem = Check(input, c.Version);
            if (problem is not null)
            {
                (lastFailure, lastVersion) = (input, c.Version);
            }

            return problem is null;
        });

        try
        {
            global::FsCheck.Check.One(FsCheckConfigs.Deterministic(2000, seed), property);
        }
        catch (Exception) when (lastFailure is not null)
        {
            var path = Regressions.Save(lastVersion.ToString(), lastFailure);
            output.WriteLine($"counterexample saved to {path}: {Hex.Format(lastFailure)} ({Check(lastFailure, lastVersion)})");
            throw;
        }
    }

    /// <summary>Null when reading <paramref name="input"/> under <paramref name="version"/> kept every fuzzing rule.</summary>
    public static string? Check(byte[] input, MqttProtocolVersion version)
    {
        // Built outside the measured run: the test's one-segment-per-byte sequence allocates per byte itself.
        var contiguous = new ReadOnlySequence<byte>(input);
        var segmented = SegmentedSequence.OneBytePerSegment(input);
        return FuzzCase.Run(() => ReadAll(contiguous, version) ?? ReadAll(segmented, version), AllocationBound(input.Length));
    }

    private static string? ReadAll(ReadOnlySequence<byte> buffer, MqttProtocolVersion version)
    {
        var limits = version == MqttProtocolVersion.Unknown ? MqttCodecLimits.PreConnect : MqttCodecLimits.Default;

        // Each successful read consumes at least 2 bytes, so this bound proves termination.
        var maxReads = (buffer.Length / 2) + 1;
        for (var reads = 0; reads <= maxReads; reads++)
        {
            try
            {
                if (!MqttPacketReader.TryRead(ref buffer, version, limits, out _, out _))
                {
                    return null;
                }
            }
            catch (MqttProtocolException)
            {
                return null;
            }
            catch (Exception ex)
            {
                return $"{ex.GetType().Name} leaked from the codec: {ex.Message}";
            }
        }

        return "the reader kept returning packets without consuming the input";
    }
}
