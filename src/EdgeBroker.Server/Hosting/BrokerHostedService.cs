namespace EdgeBroker.Server.Hosting;

using System.Diagnostics;
using System.Net;
using EdgeBroker.Core;
using EdgeBroker.Core.Security;
using EdgeBroker.Server.Configuration;
using EdgeBroker.Server.Logging;
using EdgeBroker.Storage;
using Microsoft.Extensions.Options;

/// <summary>
/// Owns the broker and storage lifetime. Starts before Kestrel accepts requests (WebApplication starts user
/// hosted services before the server) and stops after Kestrel stopped accepting and drained in-flight
/// requests, so nothing is routed while the stores close. Start: check the data directory (F26), log the
/// fsync policy (R13), lock the directory, open the stores and log every recovery report, apply the configured topology.
/// Stop: dispose the stores (drain, fsync, clean-shutdown markers), then release the data-directory lock.
/// Thread-safety: the host calls Start, Stop and Dispose sequentially; Stop is idempotent.
/// </summary>
internal sealed class BrokerHostedService : IHostedService, IAsyncDisposable
{
    private readonly IOptions<EdgeBrokerOptions> _options;
    private readonly IBrokerRuntimeFactory _factory;
    private readonly BrokerAccessor _accessor;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private IDisposable? _directoryLock;

    public BrokerHostedService(IOptions<EdgeBrokerOptions> options, IBrokerRuntimeFactory factory, BrokerAccessor accessor, TimeProvider time, ILogger<BrokerHostedService> logger)
    {
        _options = options;
        _factory = factory;
        _accessor = accessor;
        _time = time;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = _options.Value;
        try
        {
            FilePermissions.RestrictNewFiles();
            var dataDirectory = DataDirectoryGuard.Prepare(options.DataDirectory);
            _directoryLock = DataDirectoryGuard.Lock(dataDirectory);
            var logOptions = options.Storage.ToLogOptions() with { Time = _time, FsyncLatency = _accessor.FsyncLatency };
            LogFsyncPolicy(dataDirectory, logOptions.Fsync);
            _accessor.FsyncPolicy = logOptions.Fsync;

            var stopwatch = Stopwatch.StartNew();
            var authorizer = SecurityComposition.CreateAuthorizer(options);
            LogSecurity(options, authorizer.Policy);
            var runtime = await OpenRuntimeAsync(new BrokerRuntimeContext(dataDirectory, logOptions, _time) { Authorizer = authorizer, Alarms = _accessor.Alarms }, cancellationToken).ConfigureAwait(false);
            foreach (var report in runtime.RecoveryReports)
            {
                LogRecovery(report);
            }

            foreach (var note in runtime.Notes)
            {
                BrokerLog.StoreNote(_logger, note);
            }

            BrokerLog.StorageOpened(_logger, runtime.RecoveryReports.Count, stopwatch.ElapsedMilliseconds);

            try
            {
                ApplyTopology(runtime.Broker.Topology, options);
            }
            catch
            {
                await runtime.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            LogListener(options.Http, options.Security.AdminUsers.Count);
            _accessor.Set(runtime);
        }
        catch (BrokerStartupException ex)
        {
            BrokerLog.StartupFailed(_logger, ex.Message);
            ReleaseDirectory();
            throw;
        }
        catch
        {
            ReleaseDirectory();
            throw;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var runtime = _accessor.Runtime;
        if (runtime is null)
        {
            ReleaseDirectory();
            return;
        }

        _accessor.Set(null);
        BrokerLog.StorageClosing(_logger);
        var stopwatch = Stopwatch.StartNew();
        try
        {
            await runtime.DisposeAsync().ConfigureAwait(false);
            BrokerLog.StorageClosed(_logger, stopwatch.ElapsedMilliseconds);
        }
        catch (AggregateException ex)
        {
            BrokerLog.StorageCloseFailed(_logger, ex);
        }
        finally
        {
            ReleaseDirectory();
        }
    }

    /// <summary>
    /// Closes the stores if the host never called <see cref="StopAsync"/> (a later hosted service or Kestrel
    /// failed to start after the stores opened): the container disposes this singleton with the app.
    /// </summary>
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    private void ReleaseDirectory()
    {
        _directoryLock?.Dispose();
        _directoryLock = null;
    }

    private async Task<BrokerRuntime> OpenRuntimeAsync(BrokerRuntimeContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await _factory.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Opening a log found something it cannot use (permissions, a full disk, a read-only mount):
            // stop with the reason and leave the files untouched (F26).
            throw new BrokerStartupException($"Storage in '{context.DataDirectory}' cannot be opened: {ex.Message}", ex);
        }
    }

    private void LogFsyncPolicy(string dataDirectory, FsyncPolicy fsync)
    {
        BrokerLog.StorageStarting(_logger, dataDirectory, fsync, fsync.PowerLossExposure);
        if (fsync.Mode != FsyncMode.Always)
        {
            BrokerLog.FsyncRelaxed(_logger, fsync, fsync.PowerLossExposure);
        }
    }

    private void LogRecovery(RecoveryReport report)
    {
        BrokerLog.RecoveryReported(_logger, report.Directory, report.CleanShutdown, report.SegmentsScanned, report.BytesTruncated, report.IndexesRebuilt, report.CorruptRanges.Count, report.StartOffset, report.EndOffset, (long)report.Elapsed.TotalMilliseconds);
        if (report.BytesTruncated > 0)
        {
            BrokerLog.TornTailTruncated(_logger, report.Directory, report.BytesTruncated);
        }

        foreach (var range in report.CorruptRanges)
        {
            BrokerLog.CorruptRange(_logger, report.Directory, range.SegmentFile, range.FilePosition, range.StartOffset, range.EndOffset, range.Reason);
        }
    }

    private void ApplyTopology(IBrokerTopology topology, EdgeBrokerOptions options)
    {
        try
        {
            foreach (var exchange in options.Exchanges)
            {
                topology.DeclareExchange(exchange.Name, exchange.Type);
                BrokerLog.ExchangeDeclared(_logger, exchange.Name, exchange.Type);
            }

            foreach (var queue in options.Queues)
            {
                topology.DeclareQueue(queue.Name, queue.ToQueueOptions());
                BrokerLog.QueueDeclared(_logger, queue.Name);
            }

            foreach (var binding in options.Bindings)
            {
                var spec = binding.ToBindingSpec();
                topology.Bind(spec);
                BrokerLog.BindingApplied(_logger, spec.Exchange, spec.Pattern, spec.TargetKind, spec.Target);
            }
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            throw new BrokerStartupException($"The configured topology (EdgeBroker:Exchanges/Queues/Bindings) was refused: {ex.Message}", ex);
        }

        BrokerLog.TopologyApplied(_logger, options.Exchanges.Count, options.Queues.Count, options.Bindings.Count);
    }

    private void LogListener(HttpEndpointOptions http, int adminCount)
    {
        BrokerLog.HttpListening(_logger, http.BindAddress, http.Port);
        if (!SecurityComposition.IsLoopback(http.BindAddress))
        {
            BrokerLog.HttpNotLoopback(_logger, http.BindAddress, adminCount);
        }
    }

    private void LogSecurity(EdgeBrokerOptions options, SecurityPolicy policy)
    {
        var acl = policy.Acl is null ? "off (everything allowed)" : "on (default deny)";
        var anonymous = policy.AllowAnonymous ? "allowed" : "refused";
        BrokerLog.SecurityConfigured(_logger, policy.Users?.Count ?? 0, acl, anonymous);
        if (policy.AllowAnonymous && !SecurityComposition.ListensOnlyOnLoopback(options))
        {
            BrokerLog.AnonymousBeyondLoopback(_logger);
        }
    }
}
