namespace EdgeBroker.Mqtt.Tests.Codec;

using System.Buffers;
using EdgeBroker.Mqtt.Codec;
using FsCheck;
using FsCheck.Fluent;

/// <summary>
/// FsCheck properties: random mutations (bit flips, byte overwrites, truncations, insertions,
/// deletions) of valid packets, read under every version, either decode or throw
/// <see cref="MqttProtocolException"/>, never another exception and never loop. Each case is
/// derived from one seed (FsCheck itself replays a fixed seed, see <see cref="FsCheckConfigs"/>),
/// so a failure prints a reproducible value; fixed counterexamples go to
/// the table in <see cref="MqttMalformedPacketTests"/>.
/// </summary>
[Trait("Category", "Unit")]
public sealed class MqttCodecFuzzTests
{
    private static readonly MqttProtocolVersion[] Versions =
        [MqttProtocolVersion.Unknown, MqttProtocolVersion.V310, MqttProtocolVersion.V311, MqttProtocolVersion.V500];

    [Fact]
    public void MutatedPacketsEitherDecodeOrThrowProtocolException()
    {
        var seeds = Gen.Choose(0, int.MaxValue).ToArbitrary();
        var property = Prop.ForAll(seeds, seed => ReadsSafely(Mutate(seed), Versions[seed % Versions.Length], seed));

        Check.One(FsCheckConfigs.Deterministic(3000), property);
    }

    [Fact]
    public void RandomBytesEitherDecodeOrThrowProtocolException()
    {
        var seeds = Gen.Choose(0, int.MaxValue).ToArbitrary();
        var property = Prop.ForAll(seeds, seed =>
        {
            var random = new Random(seed);
            var bytes = new byte[random.Next(0, 64)];
            random.NextBytes(bytes);

            // Bias towards plausible first bytes so the bodies get exercised, not only the header.
            if (bytes.Length > 1)
            {
                bytes[1] = (byte)Math.Min(bytes[1] & 0x7F, bytes.Length - 2);
            }

            return ReadsSafely(bytes, Versions[seed % Versions.Length], seed);
        });

        Check.One(FsCheckConfigs.Deterministic(3000), property);
    }

    /// <summary>Reads a whole buffer packet by packet, contiguous and then one segment per byte.</summary>
    private static bool ReadsSafely(byte[] bytes, MqttProtocolVersion version, int seed)
    {
        ReadAll(new ReadOnlySequence<byte>(bytes), version, seed);
        ReadAll(SegmentedSequence.OneBytePerSegment(bytes), version, seed);
        return true;
    }

    private static void ReadAll(ReadOnlySequence<byte> buffer, MqttProtocolVersion version, int seed)
    {
        var limits = new MqttCodecLimits(4096);

        // Each successful read consumes at least 2 bytes, so this bound proves termination.
        var bound = buffer.Length / 2;
        for (var iterations = 0; iterations <= bound; iterations++)
        {
            MqttPacket? packet;
            try
            {
                if (!MqttPacketReader.TryRead(ref buffer, version, limits, out packet, out _))
                {
                    return;
                }
            }
            catch (MqttProtocolException)
            {
                return;
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException($"seed {seed}, version {version}: {ex.GetType().Name} leaked from the codec", ex);
            }

            // Outside the catch: a re-encoded packet that no longer decodes is a codec bug.
            AssertCanonicalFormIsStable(packet, version, seed);
        }

        throw new InvalidOperationException($"seed {seed}: reader did not terminate");
    }

    /// <summary>Whatever decodes re-encodes, and its encoding decodes to the same encoding again.</summary>
    private static void AssertCanonicalFormIsStable(MqttPacket packet, MqttProtocolVersion version, int seed)
    {
        var writeVersion = packet is MqttConnectPacket connect ? connect.ProtocolVersion : version;
        var first = MqttCodec.Encode(packet, writeVersion);
        var again = MqttCodec.DecodeSingle(first, MqttCodec.ReadVersion(packet, writeVersion), MqttCodecLimits.Default);
        var second = MqttCodec.Encode(again, writeVersion);
        if (!first.AsSpan().SequenceEqual(second))
        {
            throw new InvalidOperationException($"seed {seed}: canonical form not stable: {Hex.Format(first)} then {Hex.Format(second)}");
        }
    }

    private static byte[] Mutate(int seed)
    {
        var random = new Random(seed);
        var samples = MqttSamplePackets.All;
        var bytes = new List<byte>(samples[random.Next(samples.Count)].Bytes);
        var mutations = 1 + random.Next(4);
        for (var i = 0; i < mutations && bytes.Count > 0; i++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes[at] = (byte)random.Next(256); break;
                case 2: bytes.RemoveRange(at, bytes.Count - at); break;
                case 3: bytes.Insert(at, (byte)random.Next(256)); break;
                default: bytes.RemoveAt(at); break;
            }
        }

        return bytes.ToArray();
    }
}
