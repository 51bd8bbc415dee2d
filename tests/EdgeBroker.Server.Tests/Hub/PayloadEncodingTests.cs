namespace EdgeBroker.Server.Tests.Hub;

using System.Text;
using EdgeBroker.Server.Hub;

[Trait("Category", "Unit")]
public sealed class PayloadEncodingTests
{
    [Theory]
    [InlineData("21.5")]
    [InlineData("{\"t\":21.5,\"unit\":\"°C\"}")]
    [InlineData("")]
    [InlineData("日本語 ✓")]
    public void ValidUtf8TravelsAsText(string text)
    {
        var (payload, encoding) = PayloadEncoding.Encode(Encoding.UTF8.GetBytes(text));
        Assert.Equal("text", encoding);
        Assert.Equal(text, payload);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFE, 0x00 })]
    [InlineData(new byte[] { 0xC3 })]
    [InlineData(new byte[] { (byte)'a', 0x00, (byte)'b' })]
    public void BinaryOrNulPayloadsTravelAsBase64(byte[] bytes)
    {
        var (payload, encoding) = PayloadEncoding.Encode(bytes);
        Assert.Equal("base64", encoding);
        Assert.Equal(bytes, Convert.FromBase64String(payload));
    }

    [Fact]
    public void DecodesTextByDefaultAndBase64WhenAsked()
    {
        Assert.True(PayloadEncoding.TryDecode("héllo", null, out var text, out _));
        Assert.Equal(Encoding.UTF8.GetBytes("héllo"), text);
        Assert.True(PayloadEncoding.TryDecode("AAEC/w==", "base64", out var binary, out _));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, binary);
        Assert.True(PayloadEncoding.TryDecode(null, "TEXT", out var empty, out _));
        Assert.Empty(empty);
    }

    [Theory]
    [InlineData("not base64!", "base64", "base64")]
    [InlineData("x", "hex", "encoding")]
    public void RefusesBadBase64AndUnknownEncodings(string payload, string encoding, string reason)
    {
        Assert.False(PayloadEncoding.TryDecode(payload, encoding, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
