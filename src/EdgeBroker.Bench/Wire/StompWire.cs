namespace EdgeBroker.Bench.Wire;

using System.Buffers.Text;
using System.Text;

/// <summary>
/// STOMP 1.2 client frames for the load tool and a decoder of server frames. Header values the tool writes
/// (destinations, numbers) never need escaping; values it echoes back (the <c>ack</c> id of a MESSAGE) are sent
/// exactly as received, which is their escaped form. Stateless.
/// <code>
///  COMMAND LF (header:value LF)* LF body NUL [LF…]      body length = content-length when present, else up to NUL
/// </code>
/// </summary>
public static class StompWire
{
    public static byte[] Frame(string command, IEnumerable<(string Name, string Value)> headers)
    {
        var text = new StringBuilder(command).Append('\n');
        foreach (var (name, value) in headers)
        {
            text.Append(name).Append(':').Append(value).Append('\n');
        }

        text.Append('\n').Append('\0');
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>
    /// The fixed part of a SEND frame: command, destination, content-length and the extra headers; what follows
    /// per message is [<c>receipt:</c>n LF] LF body NUL (<see cref="WriteSendTail"/>).
    /// </summary>
    public static byte[] SendPrefix(string destination, int bodyLength, bool persistent)
    {
        var text = new StringBuilder("SEND\ndestination:").Append(destination)
            .Append("\ncontent-length:").Append(bodyLength).Append('\n');
        if (persistent)
        {
            text.Append("persistent:true\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public static int SendSize(int prefixLength, int bodyLength) => prefixLength + "receipt:".Length + 20 + 2 + bodyLength + 1;

    /// <summary>Writes prefix, optional receipt header, blank line; the caller then writes the body and a NUL. Returns bytes written.</summary>
    public static int WriteSendHead(Span<byte> span, ReadOnlySpan<byte> prefix, long receipt)
    {
        prefix.CopyTo(span);
        var i = prefix.Length;
        if (receipt >= 0)
        {
            "receipt:"u8.CopyTo(span[i..]);
            i += "receipt:".Length;
            Utf8Formatter.TryFormat(receipt, span[i..], out var written);
            i += written;
            span[i++] = (byte)'\n';
        }

        span[i++] = (byte)'\n';
        return i;
    }

    public static int WriteAck(Span<byte> span, ReadOnlySpan<byte> ackId)
    {
        "ACK\nid:"u8.CopyTo(span);
        var i = "ACK\nid:".Length;
        ackId.CopyTo(span[i..]);
        i += ackId.Length;
        "\n\n\0"u8.CopyTo(span[i..]);
        return i + 3;
    }

    public static int AckSize(int ackIdLength) => "ACK\nid:".Length + ackIdLength + 3;

    /// <summary>One decoded frame; the spans point into the read buffer and are valid until it is advanced.</summary>
    public ref struct View
    {
        public ReadOnlySpan<byte> Command { get; set; }

        public ReadOnlySpan<byte> Headers { get; set; }

        public ReadOnlySpan<byte> Body { get; set; }

        /// <summary>The raw (still escaped) value of the first header called <paramref name="name"/>.</summary>
        public readonly ReadOnlySpan<byte> Header(ReadOnlySpan<byte> name) => FindHeader(Headers, name);
    }

    /// <summary>
    /// Reads one frame, skipping heart-beat EOLs first. Returns the number of bytes consumed (0 = need more).
    /// </summary>
    public static int TryRead(ReadOnlySpan<byte> buffer, out View frame)
    {
        frame = default;
        var start = 0;
        while (start < buffer.Length && (buffer[start] == (byte)'\n' || buffer[start] == (byte)'\r'))
        {
            start++;
        }

        var rest = buffer[start..];
        var endOfHeaders = rest.IndexOf("\n\n"u8);
        var crlf = rest.IndexOf("\r\n\r\n"u8);
        int bodyStart;
        if (crlf >= 0 && (endOfHeaders < 0 || crlf < endOfHeaders))
        {
            endOfHeaders = crlf;
            bodyStart = crlf + 4;
        }
        else if (endOfHeaders >= 0)
        {
            bodyStart = endOfHeaders + 2;
        }
        else
        {
            return 0;
        }

        var head = rest[..endOfHeaders];
        var firstLine = head.IndexOf((byte)'\n');
        var command = firstLine < 0 ? head : head[..firstLine];
        var headers = firstLine < 0 ? [] : head[(firstLine + 1)..];
        if (command.Length > 0 && command[^1] == (byte)'\r')
        {
            command = command[..^1];
        }

        var lengthText = FindHeader(headers, "content-length"u8);
        int bodyLength;
        if (lengthText.Length > 0)
        {
            if (!Utf8Parser.TryParse(lengthText, out bodyLength, out _))
            {
                throw new InvalidDataException("Bad STOMP content-length.");
            }

            if (rest.Length < bodyStart + bodyLength + 1)
            {
                return 0;
            }
        }
        else
        {
            bodyLength = rest[bodyStart..].IndexOf((byte)0);
            if (bodyLength < 0)
            {
                return 0;
            }
        }

        frame.Command = command;
        frame.Headers = headers;
        frame.Body = rest.Slice(bodyStart, bodyLength);
        return start + bodyStart + bodyLength + 1;
    }

    private static ReadOnlySpan<byte> FindHeader(ReadOnlySpan<byte> headers, ReadOnlySpan<byte> name)
    {
        while (headers.Length > 0)
        {
            var end = headers.IndexOf((byte)'\n');
            var line = end < 0 ? headers : headers[..end];
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (line.Length > name.Length && line[name.Length] == (byte)':' && line.StartsWith(name))
            {
                return line[(name.Length + 1)..];
            }

            if (end < 0)
            {
                break;
            }

            headers = headers[(end + 1)..];
        }

        return [];
    }
}
