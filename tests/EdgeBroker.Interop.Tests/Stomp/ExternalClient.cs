namespace EdgeBroker.Interop.Tests.Stomp;

using System.Diagnostics;
using System.Text;
using System.Text.Json;

/// <summary>
/// Runs a third-party client script (stomp.py under /usr/bin/python3, @stomp/stompjs under node) as a child
/// process, captures its output and parses the one JSON line it prints. Waits always have a deadline and a
/// process that overruns is killed (only the process this instance started).
/// Thread-safety: one instance per script run.
/// </summary>
internal sealed class ExternalClient : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();

    private ExternalClient(Process process)
    {
        _process = process;
    }

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EdgeBroker.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new DirectoryNotFoundException("EdgeBroker.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static ExternalClient StartPython(string script, params string[] args) =>
        Start("/usr/bin/python3", Path.Combine(RepositoryRoot, "tests", "python", "stomp"), script, args);

    public static ExternalClient StartNode(string script, params string[] args) =>
        Start("node", Path.Combine(RepositoryRoot, "tests", "node"), script, args);

    /// <summary>Waits for the process to exit 0 and returns the last JSON line it printed.</summary>
    public async Task<JsonElement> ResultAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException("client did not finish in time.\n" + Output());
        }

        _process.WaitForExit(); // flush the output handlers
        Assert.True(_process.ExitCode == 0, $"client exited with {_process.ExitCode}.\n{Output()}");
        string? json;
        lock (_gate)
        {
            json = _stdout.ToString().Split('\n').LastOrDefault(l => l.StartsWith('{'));
        }

        Assert.True(json is not null, "client printed no JSON result.\n" + Output());
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    /// <summary>Polls the captured stdout for a line, with a deadline.</summary>
    public async Task WaitForLineAsync(string line, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            lock (_gate)
            {
                if (_stdout.ToString().Split('\n').Any(l => l.Trim() == line))
                {
                    return;
                }
            }

            if (_process.HasExited || watch.Elapsed > timeout)
            {
                throw new TimeoutException($"client never printed '{line}'.\n{Output()}");
            }

            await Task.Delay(20); // poll interval; the loop re-checks the condition
        }
    }

    public string Output()
    {
        lock (_gate)
        {
            return "stdout:\n" + _stdout + "\nstderr:\n" + _stderr;
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static ExternalClient Start(string fileName, string workingDirectory, string script, string[] args)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start };
        var client = new ExternalClient(process);
        process.OutputDataReceived += (_, e) => client.Append(client._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => client.Append(client._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return client;
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            target.Append(line).Append('\n');
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: false);
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
    }
}
