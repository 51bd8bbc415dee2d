namespace EdgeBroker.Tests.Fuzz;

using System.Security.Cryptography;

/// <summary>
/// Runs one fuzz input through a decoder under the three fuzzing rules of issue 8: the decoder either parses or
/// rejects with its protocol exception (the body returns a problem for anything else), never hangs (the case runs
/// on its own thread and must finish within <see cref="Timeout"/>), and never allocates more than a bound that
/// depends on the input length, not on any length the input declares (measured with
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> over a second, warm run on the thread that ran the case).
/// Shared by the MQTT and STOMP test projects (linked source).
/// </summary>
internal static class FuzzCase
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Null when the case kept every rule; otherwise what went wrong.</summary>
    public static string? Run(Func<string?> body, long allocationBound)
    {
        string? problem = null;
        long allocated = 0;
        var task = Task.Factory.StartNew(
            () =>
            {
                // The first run pays one-time costs (type initialisers, this thread's pool caches); the
                // decoder is a pure function of the bytes, so the second run allocates what the input costs.
                problem = body();
                var before = GC.GetAllocatedBytesForCurrentThread();
                problem ??= body();
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning, // a dedicated thread: a hang cannot starve the pool, and allocations are this case's only
            TaskScheduler.Default);
        if (!task.Wait(Timeout))
        {
            return $"did not finish within {Timeout.TotalSeconds:0} s (hang)";
        }

        return problem ?? (allocated > allocationBound ? $"allocated {allocated} bytes, bound {allocationBound}" : null);
    }
}

/// <summary>
/// Counterexamples as files: <c>tests/&lt;Project&gt;/Fuzz/Regressions/&lt;tag&gt;-&lt;sha256 prefix&gt;.bin</c> holds the raw
/// input, the tag says how to read it (protocol version). Saved into the source tree when it can be found (so
/// they get committed), replayed from both the source tree and the copy next to the test assembly.
/// </summary>
internal sealed class FuzzRegressions(string projectName)
{
    public string? SourceDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "EdgeBroker.sln")))
                {
                    return Path.Combine(dir.FullName, "tests", projectName, "Fuzz", "Regressions");
                }
            }

            return null;
        }
    }

    public static string OutputDirectory => Path.Combine(AppContext.BaseDirectory, "Fuzz", "Regressions");

    public string Save(string tag, byte[] input)
    {
        var directory = SourceDirectory ?? OutputDirectory;
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{tag}-{Convert.ToHexStringLower(SHA256.HashData(input))[..16]}.bin");
        File.WriteAllBytes(path, input);
        return path;
    }

    /// <summary>Every saved input: (tag, file name, bytes), deduplicated by file name.</summary>
    public IReadOnlyList<(string Tag, string Name, byte[] Bytes)> All()
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var directory in new[] { OutputDirectory, SourceDirectory })
        {
            if (directory is not null && Directory.Exists(directory))
            {
                foreach (var file in Directory.GetFiles(directory, "*.bin"))
                {
                    seen.TryAdd(Path.GetFileName(file), file);
                }
            }
        }

        return [.. seen.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key[..p.Key.IndexOf('-', StringComparison.Ordinal)], p.Key, File.ReadAllBytes(p.Value)))];
    }
}
