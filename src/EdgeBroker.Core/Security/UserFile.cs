namespace EdgeBroker.Core.Security;

using System.Text;

/// <summary>
/// The password file: one <c>user:hash</c> per line (the Mosquitto 2 format, see <see cref="PasswordHasher"/>),
/// <c>#</c> starts a comment line. The parser is strict: a blank line, a missing colon, an empty or duplicate
/// user name, or a malformed hash is an error naming the line, never an empty user (CVE-2018-12551).
/// Thread-safety: stateless; <see cref="SetPassword"/> replaces the file atomically (temp, fsync, rename).
/// </summary>
public static class UserFile
{
    public static IReadOnlyDictionary<string, PasswordHash> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var users = new Dictionary<string, PasswordHash>(StringComparer.Ordinal);
        var lines = SplitLines(text);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var number = i + 1;
            if (line.StartsWith('#'))
            {
                continue;
            }

            if (line.Length == 0)
            {
                throw new FormatException($"password file line {number}: blank line");
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new FormatException($"password file line {number}: expected 'user:hash'");
            }

            var user = line[..colon];
            if (!UserNames.IsValid(user, out var reason))
            {
                throw new FormatException($"password file line {number}: {reason}");
            }

            if (!PasswordHasher.TryParse(line[(colon + 1)..], out var hash, out var error))
            {
                throw new FormatException($"password file line {number} (user '{user}'): {error}");
            }

            if (!users.TryAdd(user, hash))
            {
                throw new FormatException($"password file line {number}: user '{user}' appears twice");
            }
        }

        return users;
    }

    public static IReadOnlyDictionary<string, PasswordHash> Load(string path) => Parse(File.ReadAllText(path, Encoding.UTF8));

    /// <summary>Adds the user or changes their password, keeping every other line (comments included) as it was.</summary>
    public static void SetPassword(string path, string user, string password, int iterations = PasswordHasher.DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!UserNames.IsValid(user, out var reason))
        {
            throw new ArgumentException(reason, nameof(user));
        }

        ArgumentException.ThrowIfNullOrEmpty(password);
        var existing = File.Exists(path) ? File.ReadAllText(path, Encoding.UTF8) : "";
        _ = Parse(existing); // never rewrite a file we could not read correctly
        var entry = user + ":" + PasswordHasher.Hash(password, iterations);
        var lines = SplitLines(existing);
        var replaced = false;
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].StartsWith(user + ":", StringComparison.Ordinal))
            {
                lines[i] = entry;
                replaced = true;
            }
        }

        if (!replaced)
        {
            lines.Add(entry);
        }

        var content = Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");
        Storage.AtomicFile.Write(Storage.PhysicalFileIO.Instance, Path.GetFullPath(path), content);
    }

    private static List<string> SplitLines(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();

        // A final newline ends the last line; it does not start a blank one.
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }
}
