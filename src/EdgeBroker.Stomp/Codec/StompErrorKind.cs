namespace EdgeBroker.Stomp.Codec;

/// <summary>
/// Why the codec rejected the input. The session maps every kind to one generic ERROR frame and a
/// close; the kind is for logs and metrics. Values are stable.
/// </summary>
public enum StompErrorKind : byte
{
    /// <summary>Structure is wrong: a header line without a colon, an empty header name, a NUL inside the header section.</summary>
    MalformedFrame = 1,

    /// <summary>The frame, or its declared body, is larger than the configured limit.</summary>
    FrameTooLarge = 2,

    /// <summary>More header lines than <see cref="StompCodecLimits.MaxHeaders"/>.</summary>
    TooManyHeaders = 3,

    /// <summary>A header line longer than <see cref="StompCodecLimits.MaxHeaderLineBytes"/>.</summary>
    HeaderLineTooLong = 4,

    /// <summary>An undefined escape sequence (<c>\t</c>, a trailing backslash, <c>\r</c> in 1.1).</summary>
    InvalidEscape = 5,

    /// <summary>A non-empty body on a command other than SEND, MESSAGE or ERROR.</summary>
    BodyNotAllowed = 6,

    /// <summary>A <c>content-length</c> value that is not a non-negative decimal integer.</summary>
    BadContentLength = 7,

    /// <summary>The octet after a <c>content-length</c> body is not NUL.</summary>
    MissingNul = 8,

    /// <summary>The command line does not name a STOMP command.</summary>
    UnknownCommand = 9,

    /// <summary>A header name or value is not valid UTF-8.</summary>
    InvalidUtf8 = 10,
}
