namespace EdgeBroker.Stomp.Codec;

using System.Buffers;
using System.Globalization;
using System.Text.Unicode;

/// <summary>
/// Writes STOMP frames into an <see cref="IBufferWriter{T}"/> (a PipeWriter in the session): the command
/// and header section in one GetSpan/Advance, the body in as many chunks as the writer hands out.
/// Stateless and thread-safe; the output writer itself is not.
/// </summary>
/// <remarks>
/// Invalid arguments (a body on SUBSCRIBE, a header the version cannot carry, a content-length that
/// contradicts the body) are programming errors and throw <see cref="ArgumentException"/>.
/// Lines end with LF only, which every version accepts.
/// </remarks>
public static class StompFrameWriter
{
    private const byte Lf = (byte)'\n';

    /// <summary>Writes a heart-beat: a single LF.</summary>
    public static void WriteHeartbeat(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.GetSpan(1)[0] = Lf;
        output.Advance(1);
    }

    public static void Write(IBufferWriter<byte> output, StompFrame frame, StompVersion version, StompContentLengthMode contentLength = StompContentLengthMode.WhenNeeded)
    {
        ArgumentNullException.ThrowIfNull(frame);
        Write(output, frame.Command, frame.Headers, frame.Body.Span, version, contentLength);
    }

    /// <summary>
    /// Writes one frame, escaping header names and values for <paramref name="version"/> (never in
    /// CONNECT/STOMP/CONNECTED). Adds <c>content-length</c> per <paramref name="contentLength"/> unless
    /// <paramref name="headers"/> already has one, which must then equal the body length.
    /// </summary>
    public static void Write(
        IBufferWriter<byte> output,
        StompCommand command,
        IReadOnlyList<StompHeader> headers,
        ReadOnlySpan<byte> body,
        StompVersion version,
        StompContentLengthMode contentLength = StompContentLengthMode.WhenNeeded)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(headers);
        if (command == StompCommand.Heartbeat)
        {
            if (headers.Count != 0 || !body.IsEmpty)
            {
                throw new ArgumentException("a heart-beat has no headers and no body", nameof(command));
            }

            WriteHeartbeat(output);
            return;
        }

        if (!body.IsEmpty && !StompCommandNames.AllowsBody(command))
        {
            throw new ArgumentException($"{command} frames cannot carry a body", nameof(body));
        }

        var addContentLength = NeedsContentLength(command, headers, body, contentLength);
        var escaped = StompCommandNames.UsesEscaping(command, version);
        var commandBytes = StompCommandNames.GetBytes(command);

        Span<byte> lengthDigits = stackalloc byte[16];
        var digitCount = 0;
        if (addContentLength)
        {
            body.Length.TryFormat(lengthDigits, out digitCount, default, CultureInfo.InvariantCulture);
        }

        // Measure first so the header section is one contiguous span.
        var size = commandBytes.Length + 1;
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i];
            if (string.IsNullOrEmpty(header.Name) || header.Value is null)
            {
                throw new ArgumentException("a STOMP header needs a non-empty name and a value", nameof(headers));
            }

            size += StompHeaderEscaping.GetEncodedByteCount(header.Name, isName: true, escaped, version) + 1
                  + StompHeaderEscaping.GetEncodedByteCount(header.Value, isName: false, escaped, version) + 1;
        }

        if (addContentLength)
        {
            size += "content-length:"u8.Length + digitCount + 1;
        }

        size += 1;

        var span = output.GetSpan(size);
        commandBytes.CopyTo(span);
        var at = commandBytes.Length;
        span[at++] = Lf;
        for (var i = 0; i < headers.Count; i++)
        {
            at += StompHeaderEscaping.Write(headers[i].Name, escaped, span[at..]);
            span[at++] = (byte)':';
            at += StompHeaderEscaping.Write(headers[i].Value, escaped, span[at..]);
            span[at++] = Lf;
        }

        if (addContentLength)
        {
            "content-length:"u8.CopyTo(span[at..]);
            at += "content-length:"u8.Length;
            lengthDigits[..digitCount].CopyTo(span[at..]);
            at += digitCount;
            span[at++] = Lf;
        }

        span[at++] = Lf;
        output.Advance(at);

        while (!body.IsEmpty)
        {
            var chunk = output.GetSpan(1);
            var n = Math.Min(chunk.Length, body.Length);
            body[..n].CopyTo(chunk);
            output.Advance(n);
            body = body[n..];
        }

        output.GetSpan(1)[0] = 0;
        output.Advance(1);
    }

    private static bool NeedsContentLength(StompCommand command, IReadOnlyList<StompHeader> headers, ReadOnlySpan<byte> body, StompContentLengthMode mode)
    {
        for (var i = 0; i < headers.Count; i++)
        {
            if (string.Equals(headers[i].Name, StompHeaderNames.ContentLength, StringComparison.Ordinal))
            {
                // The first occurrence is the one readers use; it must describe this body.
                if (!int.TryParse(headers[i].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var declared) || declared != body.Length)
                {
                    throw new ArgumentException("content-length header does not match the body length", nameof(headers));
                }

                return false;
            }
        }

        if (!StompCommandNames.AllowsBody(command))
        {
            return false;
        }

        // A NUL would end the frame early; binary bodies get an explicit length (DESIGN.md "binary stays binary").
        return mode == StompContentLengthMode.Always
            || (!body.IsEmpty && (body.Contains((byte)0) || !Utf8.IsValid(body)));
    }
}
