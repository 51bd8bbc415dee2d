namespace EdgeBroker.Interop.Tests.Faults;

using System.Text;

/// <summary>Reads STOMP frames off a <see cref="RawTcpClient"/> byte by byte (command, headers, body up to the NUL); heart-beat EOLs are skipped.</summary>
public static class RawStomp
{
    public sealed record Frame(string Command, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        public string? Get(string name) => Headers.TryGetValue(name, out var value) ? value : null;

        public override string ToString() => $"{Command} {string.Join(',', Headers.Select(h => h.Key + ":" + h.Value))}";
    }

    public static string Connect(string version) => $"CONNECT\naccept-version:{version}\nhost:/\nheart-beat:0,0\n\n\0";

    /// <summary>The next frame, or null when the server closed the connection first.</summary>
    public static async Task<Frame?> ReadAsync(RawTcpClient client, TimeSpan timeout)
    {
        string? command;
        do
        {
            command = await ReadLineAsync(client, timeout);
            if (command is null)
            {
                return null;
            }
        }
        while (command.Length == 0);

        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await ReadLineAsync(client, timeout) is { } line)
        {
            if (line.Length == 0)
            {
                var body = new List<byte>();
                while (await client.ReadByteAsync(timeout) is { } b)
                {
                    if (b == 0)
                    {
                        return new Frame(command, headers, Encoding.UTF8.GetString(body.ToArray()));
                    }

                    body.Add((byte)b);
                }

                return null;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers.TryAdd(line[..colon], line[(colon + 1)..]);
        }

        return null;
    }

    private static async Task<string?> ReadLineAsync(RawTcpClient client, TimeSpan timeout)
    {
        var bytes = new List<byte>();
        while (await client.ReadByteAsync(timeout) is { } b)
        {
            if (b == '\n')
            {
                return Encoding.UTF8.GetString(bytes.ToArray()).TrimEnd('\r');
            }

            bytes.Add((byte)b);
        }

        return null;
    }
}
