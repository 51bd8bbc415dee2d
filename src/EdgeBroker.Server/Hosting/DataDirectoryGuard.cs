namespace EdgeBroker.Server.Hosting;

/// <summary>
/// Makes sure the data directory exists, is readable and writable before any log is opened (F26).
/// It only ever creates the directory, its lock file and one probe file of its own; it never deletes or "repairs" anything
/// else, so an unusable directory stops the broker with a clear message and the data stays as it was.
/// </summary>
public static class DataDirectoryGuard
{
    private const string ProbeFileName = ".edgebroker-write-probe";

    private const string LockFileName = ".edgebroker.lock";

    /// <summary>Returns the full path. Throws <see cref="BrokerStartupException"/> naming the path and the reason.</summary>
    public static string Prepare(string configuredPath)
    {
        string fullPath;
        try
        {
            fullPath = Path.GetFullPath(configuredPath);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new BrokerStartupException($"Data directory '{configuredPath}' is not a valid path: {ex.Message}", ex);
        }

        if (File.Exists(fullPath))
        {
            throw new BrokerStartupException($"Data directory '{fullPath}' is a file, not a directory.");
        }

        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(fullPath);
            }
            else
            {
                // Only a directory created here gets 0700; an existing one keeps the mode its owner chose.
                Directory.CreateDirectory(fullPath, FilePermissions.DirectoryMode);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BrokerStartupException($"Data directory '{fullPath}' cannot be created: {ex.Message}", ex);
        }

        try
        {
            _ = Directory.EnumerateFileSystemEntries(fullPath).Take(1).Count();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BrokerStartupException($"Data directory '{fullPath}' is not readable: {ex.Message}", ex);
        }

        var probe = Path.Combine(fullPath, ProbeFileName);
        try
        {
            using (var stream = new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None))
            {
                stream.WriteByte(1);
                stream.Flush(flushToDisk: true);
            }

            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BrokerStartupException($"Data directory '{fullPath}' is not writable (read-only file system, permissions or full disk): {ex.Message}", ex);
        }

        return fullPath;
    }

    /// <summary>
    /// Takes the data directory for this process: an exclusive lock on <c>.edgebroker.lock</c> (flock on Unix),
    /// released when the returned handle is disposed or the process dies (also by kill -9). A second broker on
    /// the same directory stops here, before any store opens, repairs or removes anything.
    /// </summary>
    public static IDisposable Lock(string fullPath)
    {
        try
        {
            return new FileStream(Path.Combine(fullPath, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new BrokerStartupException($"Data directory '{fullPath}' is in use by another EdgeBroker process ({ex.Message}).", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new BrokerStartupException($"Data directory '{fullPath}' cannot be locked: {ex.Message}", ex);
        }
    }
}
