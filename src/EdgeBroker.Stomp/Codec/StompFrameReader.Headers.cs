namespace EdgeBroker.Stomp.Codec;

using System.Buffers;
using System.Text.Unicode;

/// <summary>Header section: validation pass (no allocation) and the decoding pass (complete frames only).</summary>
public static partial class StompFrameReader
{
    /// <summary>
    /// Walks the header lines up to the blank line, checking limits, syntax, escapes and UTF-8, and
    /// picking up the first <c>content-length</c>. Allocates nothing.
    /// </summary>
    private static bool TryScanHeaders(
        ref SequenceReader<byte> reader,
        StompCommand command,
        StompVersion version,
        StompCodecLimits limits,
        ref byte[]? scratch,
        out int headerCount,
        out long? contentLength)
    {
        headerCount = 0;
        contentLength = null;
        var escaped = StompCommandNames.UsesEscaping(command, version);
        while (true)
        {
            var frameLeft = limits.MaxFrameBytes - reader.Consumed;
            if (!TryReadLine(ref reader, limits.MaxHeaderLineBytes, StompErrorKind.HeaderLineTooLong, frameLeft, out var lineSequence))
            {
                return false;
            }

            var line = TrimCr(AsSpan(lineSequence, ref scratch));
            if (line.IsEmpty)
            {
                return true;
            }

            // [STOMP 1.2 "Size Limits"] the server may cap the number of headers.
            if (++headerCount > limits.MaxHeaders)
            {
                throw new StompProtocolException(StompErrorKind.TooManyHeaders, "too many headers");
            }

            // The first colon separates name from value. A colon later in the value is kept as data:
            // 1.2 wants it escaped, but CONNECT (never escaped) needs it and many clients send it raw.
            var colon = line.IndexOf((byte)':');
            if (colon < 0)
            {
                throw new StompProtocolException(StompErrorKind.MalformedFrame, "header line without ':'");
            }

            if (colon == 0)
            {
                throw new StompProtocolException(StompErrorKind.MalformedFrame, "empty header name");
            }

            var name = line[..colon];
            var value = line[(colon + 1)..];
            if (escaped && (StompHeaderEscaping.FindInvalidEscape(name, version) >= 0 || StompHeaderEscaping.FindInvalidEscape(value, version) >= 0))
            {
                // [STOMP 1.2 "Value Encoding"] undefined escape sequences MUST be treated as a fatal protocol error.
                throw new StompProtocolException(StompErrorKind.InvalidEscape, "undefined escape sequence in a header");
            }

            // Escapes are ASCII, so the raw line is valid UTF-8 exactly when the decoded text is.
            if (!Utf8.IsValid(line))
            {
                throw new StompProtocolException(StompErrorKind.InvalidUtf8, "header is not valid UTF-8");
            }

            // [STOMP 1.2 "Repeated Header Entries"] only the first occurrence counts.
            if (contentLength is null && name.SequenceEqual("content-length"u8))
            {
                contentLength = ParseContentLength(value);
            }
        }
    }

    /// <summary>[STOMP 1.2 "Header content-length"] an octet count: decimal digits only, no sign or spaces.</summary>
    private static long ParseContentLength(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            throw new StompProtocolException(StompErrorKind.BadContentLength, "empty content-length");
        }

        long length = 0;
        foreach (var b in value)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                throw new StompProtocolException(StompErrorKind.BadContentLength, "content-length is not a non-negative integer");
            }

            length = (length * 10) + (b - '0');
            if (length > int.MaxValue)
            {
                throw new StompProtocolException(StompErrorKind.BadContentLength, "content-length out of range");
            }
        }

        return length;
    }

    /// <summary>Second pass over an already validated header section: builds the header list.</summary>
    private static StompHeader[] DecodeHeaders(ReadOnlySequence<byte> section, int headerCount, bool escaped, ref byte[]? scratch)
    {
        if (headerCount == 0)
        {
            return [];
        }

        var headers = new StompHeader[headerCount];
        var reader = new SequenceReader<byte>(section);
        for (var i = 0; i < headerCount; i++)
        {
            reader.TryReadTo(out ReadOnlySequence<byte> lineSequence, Lf);
            var line = TrimCr(AsSpan(lineSequence, ref scratch));
            var colon = line.IndexOf((byte)':');
            var name = line[..colon];
            var nameText = escaped && name.Contains((byte)'\\')
                ? StompHeaderEscaping.Decode(name, escaped: true)
                : StompHeaderNames.Intern(name);
            headers[i] = new StompHeader(nameText, StompHeaderEscaping.Decode(line[(colon + 1)..], escaped));
        }

        return headers;
    }
}
