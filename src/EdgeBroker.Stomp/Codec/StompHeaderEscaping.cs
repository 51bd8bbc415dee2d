namespace EdgeBroker.Stomp.Codec;

using System.Text;

/// <summary>
/// [STOMP 1.2 "Value Encoding"] header escapes, both directions. Stateless and thread-safe.
/// <code>
///   octet   escaped   since
///   CR  13  \r        1.2
///   LF  10  \n        1.1
///   :   58  \c        1.1
///   \   92  \\        1.1
/// </code>
/// Any other octet after a backslash (and a trailing backslash) is a fatal protocol error.
/// </summary>
internal static class StompHeaderEscaping
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Index of the backslash starting an undefined escape in <paramref name="raw"/>, or -1.</summary>
    public static int FindInvalidEscape(ReadOnlySpan<byte> raw, StompVersion version)
    {
        var offset = 0;
        while (true)
        {
            var slash = raw[offset..].IndexOf((byte)'\\');
            if (slash < 0)
            {
                return -1;
            }

            var at = offset + slash;
            if (at + 1 >= raw.Length || !IsDefinedEscape(raw[at + 1], version))
            {
                return at;
            }

            offset = at + 2;
        }
    }

    /// <summary>
    /// Unescapes (when <paramref name="escaped"/>) and decodes UTF-8. The caller has already checked
    /// escapes with <see cref="FindInvalidEscape"/> and UTF-8 validity.
    /// </summary>
    public static string Decode(ReadOnlySpan<byte> raw, bool escaped)
    {
        if (!escaped || raw.IndexOf((byte)'\\') < 0)
        {
            return Utf8NoBom.GetString(raw);
        }

        // Unescaping only shrinks the text.
        byte[]? rented = null;
        var scratch = raw.Length <= 256 ? stackalloc byte[256] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(raw.Length));
        try
        {
            var length = 0;
            for (var i = 0; i < raw.Length; i++)
            {
                var b = raw[i];
                if (b == (byte)'\\')
                {
                    i++;
                    b = raw[i] switch
                    {
                        (byte)'n' => (byte)'\n',
                        (byte)'r' => (byte)'\r',
                        (byte)'c' => (byte)':',
                        _ => (byte)'\\',
                    };
                }

                scratch[length++] = b;
            }

            return Utf8NoBom.GetString(scratch[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Bytes <paramref name="text"/> takes on the wire. Throws <see cref="ArgumentException"/> when the
    /// text cannot be carried: NUL anywhere; unescaped mode: CR, LF (and ':' in a name); 1.1: CR.
    /// </summary>
    public static int GetEncodedByteCount(string text, bool isName, bool escaped, StompVersion version)
    {
        var extra = 0;
        foreach (var c in text)
        {
            switch (c)
            {
                case '\0':
                    throw new ArgumentException("a STOMP header cannot contain NUL", nameof(text));
                case '\r' when !escaped || version < StompVersion.V12:
                    throw new ArgumentException("this STOMP version or frame cannot carry CR in a header", nameof(text));
                case '\n' when !escaped:
                    throw new ArgumentException("this STOMP version or frame cannot carry LF in a header", nameof(text));
                case ':' when !escaped && isName:
                    throw new ArgumentException("this STOMP version or frame cannot carry ':' in a header name", nameof(text));
                case '\r' or '\n' or ':' or '\\' when escaped:
                    extra++;
                    break;
            }
        }

        return Encoding.UTF8.GetByteCount(text) + extra;
    }

    /// <summary>Writes <paramref name="text"/> escaped per mode; <paramref name="destination"/> is sized by <see cref="GetEncodedByteCount"/>.</summary>
    public static int Write(string text, bool escaped, Span<byte> destination)
    {
        if (!escaped)
        {
            return Encoding.UTF8.GetBytes(text, destination);
        }

        var written = 0;
        var runStart = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            var escape = i < text.Length ? EscapeFor(text[i]) : (byte)0;
            if (i < text.Length && escape == 0)
            {
                continue;
            }

            // Runs end only at ASCII specials, so a surrogate pair is never split.
            written += Encoding.UTF8.GetBytes(text.AsSpan(runStart, i - runStart), destination[written..]);
            if (i < text.Length)
            {
                destination[written++] = (byte)'\\';
                destination[written++] = escape;
            }

            runStart = i + 1;
        }

        return written;
    }

    private static byte EscapeFor(char c) => c switch
    {
        '\r' => (byte)'r',
        '\n' => (byte)'n',
        ':' => (byte)'c',
        '\\' => (byte)'\\',
        _ => 0,
    };

    private static bool IsDefinedEscape(byte b, StompVersion version) =>
        b is (byte)'n' or (byte)'c' or (byte)'\\' || (b == (byte)'r' && version >= StompVersion.V12);
}
