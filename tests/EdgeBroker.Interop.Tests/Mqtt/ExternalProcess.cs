namespace EdgeBroker.Interop.Tests.Mqtt;

using System.Diagnostics;
using System.Text;

/// <summary>
/// Runs a third-party client (mosquitto_pub/sub, python3 with paho-mqtt, node with MQTT.js) as a child process,
/// capturing stdout line by line so a test can wait for a line (with a deadline) and read everything at the end.
/// Kills only the process it started. Thread-safety: output capture is locked; drive from one test.
/// </summary>
public sealed class ExternalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly StringBuilder _stderr = new();
    private readonly object _gate = new();

    private ExternalProcess(Process process) => _process = process;

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EdgeBroker.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new DirectoryNotFoundException("EdgeBroker.sln not found above the test assembly.");
        }
    }

    public static ExternalProcess Start(string fileName, IEnumerable<string> args, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryRoot,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var external = new ExternalProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (external._gate)
                {
                    external._stdout.Add(e.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (external._gate)
                {
                    external._stderr.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return external;
    }

    /// <summary>Runs to completion; fails the test with the captured output on timeout or a non-zero exit.</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(string fileName, IEnumerable<string> args, int timeoutMs = 30_000)
    {
        await using var process = Start(fileName, args);
        var exit = await process.WaitForExitAsync(timeoutMs);
        Assert.True(exit == 0, $"{fileName} exited with {exit}.\nstdout:\n{string.Join('\n', process.Lines)}\nstderr:\n{process.Errors}");
        return process.Lines;
    }

    public bool HasExited => _process.HasExited;

    public int ProcessId => _process.Id;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _stdout];
            }
        }
    }

    public string Errors
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Waits (polling with a deadline) until stdout has a line containing <paramref name="text"/>.</summary>
    public async Task WaitForLineAsync(string text, int timeoutMs = 15_000)
    {
        var deadline = Stopwatch.StartNew();
        while (!Lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            if (deadline.ElapsedMilliseconds > timeoutMs || _process.HasExited && !Lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
            {
                await Task.Delay(100); // let the asynchronous output handlers catch up once
                if (Lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
                {
                    return;
                }

                Assert.Fail($"No line containing '{text}' within {timeoutMs} ms.\nstdout:\n{string.Join('\n', Lines)}\nstderr:\n{Errors}");
            }

            await Task.Delay(20); // poll interval
        }
    }

    /// <summary>The exit code, or -1 after killing it on timeout.</summary>
    public async Task<int> WaitForExitAsync(int timeoutMs)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            return -1;
        }

        _process.WaitForExit(); // flush output handlers
        return _process.ExitCode;
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
