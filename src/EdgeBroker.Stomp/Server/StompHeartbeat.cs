namespace EdgeBroker.Stomp.Server;

using System.Globalization;

/// <summary>
/// The <c>heart-beat:cx,cy</c> negotiation of STOMP 1.1/1.2 ("Heart-beating"). Pure functions; thread-safe.
/// <code>
///  client CONNECT   heart-beat: cx,cy    cx = can send every cx ms, cy = wants to receive every cy ms
///  server CONNECTED heart-beat: sx,sy
///  server → client: 0 if sx = 0 or cy = 0, else max(sx, cy)
///  client → server: 0 if cx = 0 or sy = 0, else max(cx, sy)
/// </code>
/// </summary>
public static class StompHeartbeat
{
    /// <summary>Parses <c>cx,cy</c>: two non-negative decimal integers. A missing header is 0,0.</summary>
    public static bool TryParse(string? value, out int first, out int second)
    {
        first = 0;
        second = 0;
        if (value is null)
        {
            return true;
        }

        var comma = value.IndexOf(',', StringComparison.Ordinal);
        return comma > 0
            && int.TryParse(value.AsSpan(0, comma), NumberStyles.None, CultureInfo.InvariantCulture, out first)
            && int.TryParse(value.AsSpan(comma + 1), NumberStyles.None, CultureInfo.InvariantCulture, out second);
    }

    /// <summary>The interval one side sends at: 0 when either side declines, else the larger of the two.</summary>
    public static int Negotiate(int canSend, int wantsToReceive) => canSend == 0 || wantsToReceive == 0 ? 0 : Math.Max(canSend, wantsToReceive);

    public static string Format(int first, int second) => string.Create(CultureInfo.InvariantCulture, $"{first},{second}");
}
