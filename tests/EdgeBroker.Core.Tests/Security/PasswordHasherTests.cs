namespace EdgeBroker.Core.Tests.Security;

using System.Text;
using EdgeBroker.Core.Security;

[Trait("Category", "Unit")]
public sealed class PasswordHasherTests
{
    [Fact]
    public void VerifiesTheRightPasswordAndRefusesAWrongOne()
    {
        Assert.True(PasswordHasher.TryParse(PasswordHasher.Hash("s3cret", iterations: 1000), out var hash, out _));

        Assert.True(PasswordHasher.Verify(hash, "s3cret"u8));
        Assert.False(PasswordHasher.Verify(hash, "s3cret "u8));
        Assert.False(PasswordHasher.Verify(hash, ""u8));
    }

    [Fact]
    public void EncodesIterationsAndARandomSaltInTheMosquittoFormat()
    {
        var first = PasswordHasher.Hash("pw", iterations: 1000);
        var second = PasswordHasher.Hash("pw", iterations: 1000);

        Assert.StartsWith("$7$1000$", first, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
        Assert.True(PasswordHasher.TryParse(first, out var hash, out _));
        Assert.Equal(16, hash.Salt.Length);
        Assert.Equal(64, hash.Key.Length);
    }

    [Fact]
    public void DefaultCostIsAtLeastTheOwaspFloor() => Assert.True(PasswordHasher.DefaultIterations >= 210_000);

    [Fact]
    public void VerifiesAHashWrittenByMosquittoPasswd()
    {
        // `mosquitto_passwd -b file alice wonderland` (Mosquitto 2.0.11, Debian 12): 101 iterations, 12-byte salt.
        const string mosquitto = "$7$101$QiZl+MPgwK/RBuPG$pOx1ak5WzPh/8jgbCoX5unuYTL+EfkkSWfmJDhOtqLpdwv8hYI4XnOM7s8gD+VNBF46LnBk2Vc+fCNsMorJtcg==";
        Assert.True(PasswordHasher.TryParse(mosquitto, out var hash, out var error), error);
        Assert.Equal(101, hash.Iterations);
        Assert.Equal(12, hash.Salt.Length);
        Assert.True(PasswordHasher.Verify(hash, "wonderland"u8));
        Assert.False(PasswordHasher.Verify(hash, "Wonderland"u8));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plaintext")]
    [InlineData("$6$abc$def")]
    [InlineData("$7$10$c2FsdHNhbHQ=$AAAA")]
    [InlineData("$7$abc$c2FsdHNhbHQ=$AAAA")]
    [InlineData("$7$1000$not base64$AAAA")]
    [InlineData("$7$1000$c2FsdHNhbHQ=$AAAA")]
    public void RejectsMalformedHashesWithAReason(string encoded)
    {
        Assert.False(PasswordHasher.TryParse(encoded, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void NonAsciiPasswordsRoundTripAsUtf8()
    {
        Assert.True(PasswordHasher.TryParse(PasswordHasher.Hash("pässwörd✓", iterations: 1000), out var hash, out _));
        Assert.True(PasswordHasher.Verify(hash, Encoding.UTF8.GetBytes("pässwörd✓")));
    }
}
