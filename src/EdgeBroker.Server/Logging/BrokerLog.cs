namespace EdgeBroker.Server.Logging;

using EdgeBroker.Core.Routing;
using EdgeBroker.Storage;
using Microsoft.Extensions.Logging;

/// <summary>
/// Host log events with stable ids (STYLE.md #9): 1xxx listeners/connections, 5xxx routing/topology,
/// 6xxx storage. Named template properties; never payloads or secrets.
/// </summary>
internal static partial class BrokerLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "HTTP listener on {BindAddress}:{Port} (API, /metrics, /healthz)")]
    public static partial void HttpListening(ILogger logger, string bindAddress, int port);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "HTTP listener bound to non-loopback address {BindAddress}: remote callers of the HTTP API, /metrics and the dashboard must sign in as one of Security:AdminUsers ({AdminCount} configured)")]
    public static partial void HttpNotLoopback(ILogger logger, string bindAddress, int adminCount);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "{Protocol} TLS listener on {BindAddress}:{Port} (client certificates {ClientCertificates}, certificate as user name {CertificateAsUserName})")]
    public static partial void TlsListening(ILogger logger, string protocol, string bindAddress, int port, EdgeBroker.Server.Configuration.ClientCertificatePolicy clientCertificates, bool certificateAsUserName);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "{Protocol} connection from {RemoteAddress} refused ({Reason}): {Detail}; further refusals for 10 s are only counted in /metrics")]
    public static partial void ConnectionRefusedByLimit(ILogger logger, string protocol, string? remoteAddress, string reason, string detail);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "TLS client certificate {Subject} refused: {Status}")]
    public static partial void ClientCertificateRefused(ILogger logger, string subject, string status);

    [LoggerMessage(EventId = 6012, Level = LogLevel.Warning, Message = "Disk alarm raised: {FreeBytes} bytes free, below the {LimitBytes}-byte limit; durable publishes are refused")]
    public static partial void DiskAlarmRaised(ILogger logger, long freeBytes, long limitBytes);

    [LoggerMessage(EventId = 6013, Level = LogLevel.Information, Message = "Disk alarm cleared: {FreeBytes} bytes free (limit {LimitBytes}); durable publishes accepted again")]
    public static partial void DiskAlarmCleared(ILogger logger, long freeBytes, long limitBytes);

    [LoggerMessage(EventId = 6014, Level = LogLevel.Warning, Message = "Memory alarm raised: {UsedBytes} bytes in use, above the {WatermarkBytes}-byte high watermark; publishers are held until it clears")]
    public static partial void MemoryAlarmRaised(ILogger logger, long usedBytes, long watermarkBytes);

    [LoggerMessage(EventId = 6015, Level = LogLevel.Information, Message = "Memory alarm cleared: {UsedBytes} bytes in use (watermark {WatermarkBytes}); publishers resume")]
    public static partial void MemoryAlarmCleared(ILogger logger, long usedBytes, long watermarkBytes);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Security: {UserCount} users, ACL {AclState}, anonymous clients {AnonymousState}")]
    public static partial void SecurityConfigured(ILogger logger, int userCount, string aclState, string anonymousState);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Anonymous clients are allowed on a broker listening beyond loopback (Security:AllowAnonymous=true)")]
    public static partial void AnonymousBeyondLoopback(ILogger logger);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Exchange {Exchange} declared ({ExchangeType})")]
    public static partial void ExchangeDeclared(ILogger logger, string exchange, ExchangeType exchangeType);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Queue {Queue} declared")]
    public static partial void QueueDeclared(ILogger logger, string queue);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Binding {Exchange} {Pattern} -> {TargetKind} {Target}")]
    public static partial void BindingApplied(ILogger logger, string exchange, string pattern, BindingTargetKind targetKind, string target);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "Configured topology applied: {Exchanges} exchanges, {Queues} queues, {Bindings} bindings")]
    public static partial void TopologyApplied(ILogger logger, int exchanges, int queues, int bindings);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Storage in {DataDirectory}, fsync={Fsync}; power-loss exposure: {PowerLossExposure}")]
    public static partial void StorageStarting(ILogger logger, string dataDirectory, FsyncPolicy fsync, string powerLossExposure);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "fsync={Fsync} acknowledges writes before they are on disk; a power loss can lose {PowerLossExposure} (R13)")]
    public static partial void FsyncRelaxed(ILogger logger, FsyncPolicy fsync, string powerLossExposure);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "Recovered log {Directory}: clean={CleanShutdown} segments={SegmentsScanned} truncated={BytesTruncated}B indexesRebuilt={IndexesRebuilt} corruptRanges={CorruptRanges} offsets={StartOffset}..{EndOffset} in {ElapsedMs} ms")]
    public static partial void RecoveryReported(ILogger logger, string directory, bool cleanShutdown, int segmentsScanned, long bytesTruncated, int indexesRebuilt, int corruptRanges, long startOffset, long endOffset, long elapsedMs);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Error, Message = "Corrupt range quarantined in log {Directory}, segment {SegmentFile} at file position {FilePosition}: offsets {StartOffset}..{EndOffset} unreadable ({Reason}) (R8)")]
    public static partial void CorruptRange(ILogger logger, string directory, string segmentFile, long filePosition, long startOffset, long endOffset, string reason);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Warning, Message = "Truncated a torn tail of {BytesTruncated} bytes in {Directory}")]
    public static partial void TornTailTruncated(ILogger logger, string directory, long bytesTruncated);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Information, Message = "Storage opened: {Logs} logs recovered in {ElapsedMs} ms")]
    public static partial void StorageOpened(ILogger logger, int logs, long elapsedMs);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Information, Message = "Shutting down: closing queue and retained stores (drain, fsync, clean-shutdown markers)")]
    public static partial void StorageClosing(ILogger logger);

    [LoggerMessage(EventId = 6008, Level = LogLevel.Information, Message = "Storage closed cleanly in {ElapsedMs} ms")]
    public static partial void StorageClosed(ILogger logger, long elapsedMs);

    [LoggerMessage(EventId = 6009, Level = LogLevel.Error, Message = "Storage did not close cleanly; the next start runs full recovery")]
    public static partial void StorageCloseFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Information, Message = "Storage open: {Note}")]
    public static partial void StoreNote(ILogger logger, string note);

    [LoggerMessage(EventId = 6010, Level = LogLevel.Critical, Message = "EdgeBroker cannot start: {Reason}")]
    public static partial void StartupFailed(ILogger logger, string reason);
}
