namespace EdgeBroker.Stomp.Codec;

/// <summary>
/// Size limits the reader enforces before buffering more input (RELIABILITY.md "STOMP": 100 headers,
/// 8 KiB per header line, body ≤ max packet; pre-auth cap 64 KiB). Immutable; share one instance.
/// </summary>
/// <remarks>
/// A frame's size counts every octet from the first command byte through the terminating NUL.
/// A line's size counts the octets before its LF, including a CR. The session reads with
/// <see cref="ForPreConnect"/> until CONNECTED has been sent, then with this instance.
/// </remarks>
public sealed record StompCodecLimits
{
    public const int DefaultMaxFrameBytes = 1024 * 1024;
    public const int DefaultPreConnectMaxFrameBytes = 64 * 1024;
    public const int DefaultMaxHeaders = 100;
    public const int DefaultMaxHeaderLineBytes = 8 * 1024;

    /// <summary>The defaults listed in RELIABILITY.md.</summary>
    public static StompCodecLimits Default { get; } = new();

    public int MaxFrameBytes { get; init; } = DefaultMaxFrameBytes;

    /// <summary>Frame cap while the connection is not yet authenticated (see <see cref="ForPreConnect"/>).</summary>
    public int PreConnectMaxFrameBytes { get; init; } = DefaultPreConnectMaxFrameBytes;

    public int MaxHeaders { get; init; } = DefaultMaxHeaders;

    public int MaxHeaderLineBytes { get; init; } = DefaultMaxHeaderLineBytes;

    /// <summary>Body cap; null means <see cref="MaxFrameBytes"/>.</summary>
    public int? MaxBodyBytes { get; init; }

    /// <summary>The body cap in force: <see cref="MaxBodyBytes"/> or, when unset, the frame cap.</summary>
    public int EffectiveMaxBodyBytes => Math.Min(MaxBodyBytes ?? MaxFrameBytes, MaxFrameBytes);

    /// <summary>
    /// The limits for a connection that has not completed CONNECT: frames and bodies capped at
    /// <see cref="PreConnectMaxFrameBytes"/>. Compute once per listener, not per frame.
    /// </summary>
    public StompCodecLimits ForPreConnect() => this with
    {
        MaxFrameBytes = Math.Min(MaxFrameBytes, PreConnectMaxFrameBytes),
        MaxBodyBytes = Math.Min(EffectiveMaxBodyBytes, PreConnectMaxFrameBytes),
    };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for limits the reader cannot honour.</summary>
    public void Validate()
    {
        // A frame must at least hold the longest command line, a blank line and the NUL.
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFrameBytes, 16, nameof(MaxFrameBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(PreConnectMaxFrameBytes, 16, nameof(PreConnectMaxFrameBytes));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxHeaders, nameof(MaxHeaders));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxHeaderLineBytes, 1, nameof(MaxHeaderLineBytes));
        if (MaxBodyBytes is { } body)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(body, nameof(MaxBodyBytes));
        }
    }
}
