namespace EdgeBroker.Stomp.Codec;

/// <summary>
/// One decoded STOMP frame: command, headers in wire order (repeats kept) and body.
/// Immutable after construction; safe to share between threads.
/// </summary>
/// <remarks>
/// Body lifetime: when the reader found the body in one input segment, <see cref="Body"/> is a slice
/// of the caller's input (<see cref="IsBodyBorrowed"/> is true) and is valid only until the caller
/// advances its pipe past the frame. A body spread over several segments is copied once into an
/// owned array. Use <see cref="GetOwnedBody"/> to keep the body beyond the read loop.
/// </remarks>
public sealed class StompFrame
{
    private static readonly StompHeader[] NoHeaders = [];

    /// <summary>A frame to write. The header list is copied, so later changes to it do not leak in.</summary>
    public StompFrame(StompCommand command, IReadOnlyList<StompHeader> headers, ReadOnlyMemory<byte> body)
        : this(command, headers is null ? throw new ArgumentNullException(nameof(headers)) : [.. headers], body, bodyIsBorrowed: false)
    {
    }

    // The reader hands over a header array nobody else holds.
    internal StompFrame(StompCommand command, StompHeader[] headers, ReadOnlyMemory<byte> body, bool bodyIsBorrowed)
    {
        Command = command;
        Headers = headers;
        Body = body;
        IsBodyBorrowed = bodyIsBorrowed;
    }

    /// <summary>The frame the reader returns for a bare EOL between frames (a heart-beat).</summary>
    public static StompFrame Heartbeat { get; } = new(StompCommand.Heartbeat, NoHeaders, ReadOnlyMemory<byte>.Empty);

    public StompCommand Command { get; }

    /// <summary>Unescaped headers in wire order; a repeated header appears every time it was sent.</summary>
    public IReadOnlyList<StompHeader> Headers { get; }

    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>True when <see cref="Body"/> points into the reader's input buffer (see remarks).</summary>
    public bool IsBodyBorrowed { get; }

    public bool IsHeartbeat => Command == StompCommand.Heartbeat;

    /// <summary>
    /// The value of the first header named <paramref name="name"/> (ordinal), or null.
    /// [STOMP 1.2 "Repeated Header Entries"] only the first occurrence is used.
    /// </summary>
    public string? Get(string name)
    {
        for (var i = 0; i < Headers.Count; i++)
        {
            if (string.Equals(Headers[i].Name, name, StringComparison.Ordinal))
            {
                return Headers[i].Value;
            }
        }

        return null;
    }

    /// <summary>The body as memory the caller may keep: the same memory when already owned, else one copy.</summary>
    public ReadOnlyMemory<byte> GetOwnedBody() => IsBodyBorrowed ? Body.ToArray() : Body;

    public override string ToString() => $"{Command} ({Headers.Count} headers, {Body.Length} body bytes)";
}
