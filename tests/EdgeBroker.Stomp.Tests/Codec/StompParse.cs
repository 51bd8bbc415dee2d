namespace EdgeBroker.Stomp.Tests.Codec;

using System.Buffers;
using System.Text;
using EdgeBroker.Stomp.Codec;

/// <summary>Drives <see cref="StompFrameReader"/> the way the session's read loop will.</summary>
internal static class StompParse
{
    /// <summary>See <see cref="StompRawText.Bytes"/>.</summary>
    public static byte[] Bytes(string text) => StompRawText.Bytes(text);

    /// <summary>Runs <c>while (TryRead)</c> over one buffer; the outcome records frames, error and unread bytes.</summary>
    public static ParseOutcome All(ReadOnlySequence<byte> buffer, StompVersion version, StompCodecLimits limits)
    {
        var frames = new List<string>();
        try
        {
            var guard = buffer.Length + 1;
            while (StompFrameReader.TryRead(ref buffer, version, limits, out var frame))
            {
                frames.Add(Describe(frame));
                if (--guard < 0)
                {
                    throw new InvalidOperationException("reader returned frames without consuming input");
                }
            }
        }
        catch (StompProtocolException e)
        {
            return new ParseOutcome(frames, e.Kind, buffer.Length);
        }

        return new ParseOutcome(frames, null, buffer.Length);
    }

    public static ParseOutcome All(byte[] data, StompVersion version, StompCodecLimits limits) =>
        All(new ReadOnlySequence<byte>(data), version, limits);

    /// <summary>
    /// Delivers <paramref name="data"/> one byte per read, like a slow socket: unread bytes stay
    /// buffered as separate segments, and the loop runs after every arrival.
    /// </summary>
    public static ParseOutcome ByteByByte(byte[] data, StompVersion version, StompCodecLimits limits)
    {
        var frames = new List<string>();
        var pending = new List<ReadOnlyMemory<byte>>();
        long unread = 0;
        for (var i = 0; i < data.Length; i++)
        {
            pending.Add(new byte[] { data[i] });
            var buffer = SegmentedSequence.FromPieces(pending);
            try
            {
                while (StompFrameReader.TryRead(ref buffer, version, limits, out var frame))
                {
                    frames.Add(Describe(frame));
                }
            }
            catch (StompProtocolException e)
            {
                // Bytes after the failure are never read by a real connection, so count them as unread.
                return new ParseOutcome(frames, e.Kind, buffer.Length + (data.Length - (i + 1)));
            }

            pending = [.. SplitRemaining(buffer)];
            unread = buffer.Length;
        }

        return new ParseOutcome(frames, null, unread);
    }

    /// <summary>A frame as comparable text: command, headers in order, body bytes in hex.</summary>
    public static string Describe(StompFrame frame)
    {
        var text = new StringBuilder(frame.Command.ToString());
        foreach (var header in frame.Headers)
        {
            text.Append('|').Append(Escape(header.Name)).Append('=').Append(Escape(header.Value));
        }

        return text.Append("|body=").Append(Convert.ToHexString(frame.Body.Span)).ToString();
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\n", "\\n").Replace("\r", "\\r").Replace("|", "\\p");

    private static IEnumerable<ReadOnlyMemory<byte>> SplitRemaining(ReadOnlySequence<byte> buffer)
    {
        foreach (var memory in buffer)
        {
            yield return memory;
        }
    }
}
