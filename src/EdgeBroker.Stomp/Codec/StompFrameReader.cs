namespace EdgeBroker.Stomp.Codec;

using System.Buffers;
using System.Diagnostics.CodeAnalysis;

/// <summary>
/// Parses STOMP 1.0–1.2 frames from a <see cref="ReadOnlySequence{T}"/>. Pure function of the bytes:
/// no state between calls, thread-safe.
/// <code>
///   COMMAND EOL                     EOL = LF or CR LF (CR LF accepted in every version)
///   *( name ":" value EOL )         escaped in 1.1+ except CONNECT/STOMP/CONNECTED
///   EOL
///   *OCTET                          content-length octets, or up to the first NUL
///   NUL
///   *( EOL )                        each returned as a heart-beat frame
/// </code>
/// </summary>
/// <remarks>
/// Design note: a call either returns a frame, returns false ("need more bytes"), or throws
/// <see cref="StompProtocolException"/>. The outcome for a given byte stream never depends on how it
/// was split into reads: every check is decided by a fixed window of bytes counted from the frame,
/// line or body start (a line may put its LF at most at offset MaxHeaderLineBytes, a frame its NUL at
/// most at offset MaxFrameBytes - 1), and checks run in byte order. So limits fire as soon as the
/// window is full, without waiting for the rest of an oversize frame. A frame split across reads is
/// parsed again from its start on the next call; headers are decoded to strings only once the whole
/// frame is present.
/// </remarks>
public static partial class StompFrameReader
{
    private const byte Lf = (byte)'\n';
    private const byte Cr = (byte)'\r';
    private const byte Nul = 0;

    /// <summary>
    /// Reads one frame (or one heart-beat) from the start of <paramref name="buffer"/> and slices it off.
    /// Returns false, leaving <paramref name="buffer"/> untouched, when more bytes are needed.
    /// </summary>
    /// <exception cref="StompProtocolException">The bytes are not a valid frame within <paramref name="limits"/>.</exception>
    public static bool TryRead(
        ref ReadOnlySequence<byte> buffer,
        StompVersion version,
        StompCodecLimits limits,
        [NotNullWhen(true)] out StompFrame? frame)
    {
        ArgumentNullException.ThrowIfNull(limits);
        frame = null;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryPeek(out var first))
        {
            return false;
        }

        // [STOMP 1.2 "Heart-beating"] an EOL between frames is a heart-beat.
        if (first == Lf || (first == Cr && reader.TryPeek(1, out var second) && second == Lf))
        {
            buffer = buffer.Slice(first == Lf ? 1 : 2);
            frame = StompFrame.Heartbeat;
            return true;
        }

        if (first == Cr && reader.Remaining == 1)
        {
            return false;
        }

        byte[]? scratch = null;
        try
        {
            var maxFrame = (long)limits.MaxFrameBytes;
            if (!TryReadCommand(ref reader, maxFrame, ref scratch, out var command))
            {
                return false;
            }

            var headersStart = reader.Position;
            if (!TryScanHeaders(ref reader, command, version, limits, ref scratch, out var headerCount, out var contentLength))
            {
                return false;
            }

            if (!TryReadBody(ref reader, command, contentLength, limits, out var body))
            {
                return false;
            }

            var headers = DecodeHeaders(buffer.Slice(headersStart), headerCount, StompCommandNames.UsesEscaping(command, version), ref scratch);
            frame = body.IsEmpty
                ? new StompFrame(command, headers, ReadOnlyMemory<byte>.Empty, bodyIsBorrowed: false)
                : body.IsSingleSegment
                    ? new StompFrame(command, headers, body.First, bodyIsBorrowed: true)
                    : new StompFrame(command, headers, body.ToArray(), bodyIsBorrowed: false);
            buffer = buffer.Slice(reader.Position);
            return true;
        }
        finally
        {
            if (scratch is not null)
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }
        }
    }

    private static bool TryReadCommand(ref SequenceReader<byte> reader, long maxFrame, ref byte[]? scratch, out StompCommand command)
    {
        command = StompCommand.Heartbeat;

        // The longest command plus an optional CR: anything longer cannot be a command, so reject it
        // without waiting for an LF that may never come.
        if (!TryReadLine(ref reader, StompCommandNames.MaxCommandLength + 1, StompErrorKind.UnknownCommand, maxFrame, out var line))
        {
            return false;
        }

        var span = TrimCr(AsSpan(line, ref scratch));
        if (!StompCommandNames.TryParse(span, out command))
        {
            throw new StompProtocolException(StompErrorKind.UnknownCommand, "unknown STOMP command");
        }

        return true;
    }

    private static bool TryReadBody(
        ref SequenceReader<byte> reader,
        StompCommand command,
        long? contentLength,
        StompCodecLimits limits,
        out ReadOnlySequence<byte> body)
    {
        body = default;
        var bodyStart = reader.Consumed;
        var maxBody = (long)limits.EffectiveMaxBodyBytes;
        var maxFrame = (long)limits.MaxFrameBytes;

        if (contentLength is { } length)
        {
            if (length > 0 && !StompCommandNames.AllowsBody(command))
            {
                throw new StompProtocolException(StompErrorKind.BodyNotAllowed, $"{command} frames cannot carry a body");
            }

            // Checked before waiting for the body: a peer cannot make us buffer a body we will refuse.
            if (length > maxBody || bodyStart + length + 1 > maxFrame)
            {
                throw new StompProtocolException(StompErrorKind.FrameTooLarge, "declared content-length exceeds the frame limit");
            }

            if (reader.Remaining < length + 1)
            {
                return false;
            }

            body = reader.UnreadSequence.Slice(0, length);
            reader.Advance(length);
            reader.TryRead(out var terminator);
            if (terminator != Nul)
            {
                // [STOMP 1.2 "Frames and Headers"] the body is always followed by a NUL octet.
                throw new StompProtocolException(StompErrorKind.MissingNul, "content-length body is not followed by NUL");
            }

            return true;
        }

        // Without content-length the NUL must sit at a body offset below this window.
        var window = Math.Min(maxBody + 1, maxFrame - bodyStart);
        if (window <= 0)
        {
            throw new StompProtocolException(StompErrorKind.FrameTooLarge, "frame exceeds the frame limit");
        }

        if (!reader.TryPeek(out var firstBodyByte))
        {
            return false;
        }

        if (firstBodyByte != Nul && !StompCommandNames.AllowsBody(command))
        {
            throw new StompProtocolException(StompErrorKind.BodyNotAllowed, $"{command} frames cannot carry a body");
        }

        if (reader.TryReadTo(out body, Nul, advancePastDelimiter: true))
        {
            if (body.Length >= window)
            {
                throw new StompProtocolException(StompErrorKind.FrameTooLarge, "frame exceeds the frame limit");
            }

            return true;
        }

        if (reader.Remaining >= window)
        {
            throw new StompProtocolException(StompErrorKind.FrameTooLarge, "frame exceeds the frame limit without a NUL");
        }

        return false;
    }

    /// <summary>
    /// Reads up to the next LF. The LF must come at most <paramref name="maxLineBytes"/> octets after the
    /// line start, and before the frame limit (<paramref name="frameLeft"/> octets from the line start);
    /// whichever window is smaller decides the error. A NUL before the LF is malformed.
    /// </summary>
    private static bool TryReadLine(
        ref SequenceReader<byte> reader,
        long maxLineBytes,
        StompErrorKind lineTooLongKind,
        long frameLeft,
        out ReadOnlySequence<byte> line)
    {
        var lineWindow = maxLineBytes + 1;
        var window = Math.Min(lineWindow, frameLeft);
        if (window <= 0)
        {
            throw new StompProtocolException(StompErrorKind.FrameTooLarge, "frame exceeds the frame limit");
        }

        if (reader.TryReadToAny(out line, "\n\0"u8, advancePastDelimiter: false))
        {
            if (line.Length >= window)
            {
                throw LimitError(lineWindow <= frameLeft, lineTooLongKind);
            }

            reader.TryRead(out var delimiter);
            if (delimiter == Nul)
            {
                throw new StompProtocolException(StompErrorKind.MalformedFrame, "NUL before the end of the header section");
            }

            return true;
        }

        if (reader.Remaining >= window)
        {
            throw LimitError(lineWindow <= frameLeft, lineTooLongKind);
        }

        return false;
    }

    private static StompProtocolException LimitError(bool lineLimitFirst, StompErrorKind lineTooLongKind) =>
        lineLimitFirst
            ? new StompProtocolException(lineTooLongKind, lineTooLongKind == StompErrorKind.UnknownCommand ? "command line too long" : "header line too long")
            : new StompProtocolException(StompErrorKind.FrameTooLarge, "frame exceeds the frame limit");

    private static ReadOnlySpan<byte> AsSpan(in ReadOnlySequence<byte> line, ref byte[]? scratch)
    {
        if (line.IsSingleSegment)
        {
            return line.FirstSpan;
        }

        // Lines are bounded by MaxHeaderLineBytes, so one scratch buffer per call is enough.
        var length = (int)line.Length;
        if (scratch is null || scratch.Length < length)
        {
            if (scratch is not null)
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }

            scratch = ArrayPool<byte>.Shared.Rent(length);
        }

        line.CopyTo(scratch);
        return scratch.AsSpan(0, length);
    }

    private static ReadOnlySpan<byte> TrimCr(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == Cr ? line[..^1] : line;
}
