namespace EdgeBroker.Stomp.Tests.Codec;

using System.Text;

/// <summary>Turns the raw text of the frame tables into bytes (shared with the interop project, which links this file).</summary>
public static class StompRawText
{
    /// <summary>
    /// UTF-8 bytes of <paramref name="text"/>, except that a lone U+DC80..U+DCFF stands for the raw
    /// byte 0x80..0xFF, so test tables can spell invalid UTF-8 (the "surrogateescape" convention).
    /// </summary>
    public static byte[] Bytes(string text)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= '\udc80' and <= '\udcff' && (i == 0 || !char.IsHighSurrogate(text[i - 1])))
            {
                bytes.Add((byte)(c - 0xdc00));
                continue;
            }

            var length = char.IsHighSurrogate(c) && i + 1 < text.Length ? 2 : 1;
            bytes.AddRange(Encoding.UTF8.GetBytes(text.Substring(i, length)));
            i += length - 1;
        }

        return [.. bytes];
    }
}
