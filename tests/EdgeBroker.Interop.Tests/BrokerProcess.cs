namespace EdgeBroker.Interop.Tests;

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

/// <summary>
/// Runs the real EdgeBroker server as a child process (<c>dotnet EdgeBroker.Server.dll</c>) on a free
/// loopback port with its own data directory, for interop and crash tests. Captures stdout/stderr to a
/// log file, waits for <c>/healthz</c> by polling with a deadline, and can <see cref="KillHard"/> (SIGKILL)
/// and restart on the same data directory. It only ever kills the process it started, and
/// <see cref="DisposeAsync"/> always kills it and removes the temp directory.
/// Thread-safety: drive one instance from one test at a time; output capture is internally locked.
/// </summary>
public sealed class BrokerProcess : IAsyncDisposable
{
    private readonly object _logGate = new();
    private readonly string _rootDirectory;
    private readonly IReadOnlyList<string> _extraArgs;
    private Process? _process;
    private StreamWriter? _log;

    /// <param name="extraArgs">Extra command-line arguments (<c>--EdgeBroker:X=Y</c>), passed on every start.</param>
    /// <param name="dataDirectory">A data directory to use (kept on dispose); null = a fresh temp directory deleted on dispose.</param>
    public BrokerProcess(IEnumerable<string>? extraArgs = null, string? dataDirectory = null)
    {
        _rootDirectory = Path.Combine(Path.GetTempPath(), "eb-interop-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_rootDirectory);
        DataDirectory = dataDirectory ?? Path.Combine(_rootDirectory, "data");
        LogPath = Path.Combine(_rootDirectory, "broker.log");
        _extraArgs = extraArgs?.ToArray() ?? [];
    }

    public string DataDirectory { get; }

    /// <summary>stdout and stderr of every run, appended.</summary>
    public string LogPath { get; }

    /// <summary>The HTTP port of the current (or last) run.</summary>
    public int HttpPort { get; private set; }

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}/");

    /// <summary>The STOMP TCP port of the current (or last) run (always a free port, never the default 61613).</summary>
    public int StompPort { get; private set; }
    /// <summary>The MQTT TCP port of the current (or last) run (a free port picked per start unless the arguments set one).</summary>
    public int MqttPort { get; private set; }

    public bool IsRunning => _process is { HasExited: false };

    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    /// <summary>The OS process id of the current run (for /proc/&lt;pid&gt;/status readings in load tests).</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("The broker was not started.");

    /// <summary>Where the server assembly is: next to the test assembly (project reference), else the server's own build output.</summary>
    public static string LocateServerDll()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "EdgeBroker.Server.dll");
        if (File.Exists(beside))
        {
            return beside;
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EdgeBroker.sln")))
        {
            dir = dir.Parent;
        }

        if (dir is not null)
        {
            var bin = Path.Combine(dir.FullName, "src", "EdgeBroker.Server", "bin");
            var found = Directory.Exists(bin) ? Directory.GetFiles(bin, "EdgeBroker.Server.dll", SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault() : null;
            if (found is not null)
            {
                return found;
            }
        }

        throw new FileNotFoundException("EdgeBroker.Server.dll not found next to the tests or under src/EdgeBroker.Server/bin; build the server first.");
    }

    /// <summary>
    /// A port nobody listens on right now (bind port 0, read it, release it), never one this test process handed out
    /// before: the OS may return a just-released port again, and two listeners of one broker on the same port fail its start.
    /// </summary>
    public static int FindFreePort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            if (HandedOut.TryAdd(port, 0))
            {
                return port;
            }
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, byte> HandedOut = new();

    /// <summary>Starts the process and waits until /healthz answers 200, or throws with the captured log.</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("The broker is already running.");
        }

        HttpPort = FindFreePort();
        StompPort = FindFreePort();
        Launch(["--EdgeBroker:DataDirectory=" + DataDirectory, "--EdgeBroker:Http:Port=" + HttpPort, "--stomp-port", StompPort.ToString(System.Globalization.CultureInfo.InvariantCulture), .. _extraArgs]);
        await WaitHealthyAsync(timeout ?? TimeSpan.FromSeconds(60));
    }

    /// <summary>Starts the process with exactly these arguments and waits for it to exit (for start-up failure tests).</summary>
    public async Task<int> RunToExitAsync(IReadOnlyList<string> args, TimeSpan timeout)
    {
        Launch(args);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process!.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            KillHard();
            throw new TimeoutException($"The broker did not exit within {timeout}. Log:\n{ReadLog()}");
        }

        _process.WaitForExit(); // flush the asynchronous output handlers
        return _process.ExitCode;
    }

    /// <summary>SIGKILL (Process.Kill): no shutdown code runs, the OS page cache survives (R14 "kill -9").</summary>
    public void KillHard()
    {
        var process = _process;
        if (process is null || process.HasExited)
        {
            return;
        }

        try
        {
            process.Kill(entireProcessTree: false);
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }

        process.WaitForExit();
        AppendLog($"--- killed (SIGKILL) at {DateTime.UtcNow:O} ---");
    }

    /// <summary>
    /// SIGTERM (what <c>docker stop</c> sends) to the process this instance started, then waits for it to exit.
    /// Returns the exit code; the broker should drain, fsync and write its clean-shutdown markers first.
    /// </summary>
    public async Task<int> StopGracefullyAsync(TimeSpan timeout)
    {
        var process = _process ?? throw new InvalidOperationException("The broker was not started.");
        if (!process.HasExited)
        {
            using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
            await kill.WaitForExitAsync();
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                KillHard();
                throw new TimeoutException($"The broker did not stop within {timeout} after SIGTERM. Log:\n{ReadLog()}");
            }
        }

        process.WaitForExit();
        return process.ExitCode;
    }

    public async Task RestartAsync(TimeSpan? timeout = null)
    {
        KillHard();
        await StartAsync(timeout);
    }

    public string ReadLog()
    {
        lock (_logGate)
        {
            _log?.Flush();
        }

        using var stream = new FileStream(LogPath, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Lines the broker logged at Error or Fatal (Serilog console levels ERR/FTL) over every run so far. Tests
    /// assert this is empty unless they injected a fault that must be reported (STYLE.md #10).
    /// </summary>
    public IReadOnlyList<string> ErrorLines() =>
        [.. ReadLog().Split('\n').Where(l => l.Contains(" ERR]", StringComparison.Ordinal) || l.Contains(" FTL]", StringComparison.Ordinal))];

    public async ValueTask DisposeAsync()
    {
        KillHard();
        _process?.Dispose();
        _process = null;
        lock (_logGate)
        {
            _log?.Dispose();
            _log = null;
        }

        await Task.CompletedTask;
        try
        {
            if (Directory.Exists(_rootDirectory))
            {
                Directory.Delete(_rootDirectory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Never fail a test on temp cleanup.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private void Launch(IReadOnlyList<string> args)
    {
        var dll = LocateServerDll();
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);

        // Every run gets its own free MQTT port (1883 may be taken by a parallel test) unless the caller set one;
        // it goes first so an explicit argument still wins.
        if (!args.Any(a => a.Contains("Mqtt:Port", StringComparison.OrdinalIgnoreCase) || a.Equals("--mqtt-port", StringComparison.OrdinalIgnoreCase)))
        {
            MqttPort = FindFreePort();
            start.ArgumentList.Add("--EdgeBroker:Mqtt:Port=" + MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_HTTP_PORTS");

        lock (_logGate)
        {
            _log ??= new StreamWriter(new FileStream(LogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete), Encoding.UTF8);
            _log.WriteLine($"--- start {DateTime.UtcNow:O}: dotnet {string.Join(' ', start.ArgumentList)} ---");
        }

        _process?.Dispose();
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => AppendLog(e.Data);
        process.ErrorDataReceived += (_, e) => AppendLog(e.Data is null ? null : "[stderr] " + e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process!.HasExited)
            {
                _process.WaitForExit();
                throw new InvalidOperationException($"The broker exited with code {_process.ExitCode} before becoming healthy. Log:\n{ReadLog()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "healthz"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Slow start on a busy machine; poll again.
            }

            await Task.Delay(50); // poll interval, not a synchronization sleep: the loop re-checks the condition
        }

        KillHard();
        throw new TimeoutException($"The broker was not healthy within {timeout}. Log:\n{ReadLog()}");
    }

    private void AppendLog(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logGate)
        {
            _log?.WriteLine(line);
        }
    }

    private static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
        {
            return fromSdk;
        }

        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return self;
        }

        return "dotnet";
    }
}
