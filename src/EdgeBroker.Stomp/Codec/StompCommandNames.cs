namespace EdgeBroker.Stomp.Codec;

/// <summary>Wire spellings of <see cref="StompCommand"/> and the per-command framing rules. Stateless.</summary>
public static class StompCommandNames
{
    /// <summary>Length of the longest command name (UNSUBSCRIBE); the reader rejects longer command lines early.</summary>
    public const int MaxCommandLength = 11;

    /// <summary>Parses an exact, case-sensitive command name (no EOL). Heart-beats are not commands.</summary>
    public static bool TryParse(ReadOnlySpan<byte> name, out StompCommand command)
    {
        command = name switch
        {
            _ when name.SequenceEqual("SEND"u8) => StompCommand.Send,
            _ when name.SequenceEqual("MESSAGE"u8) => StompCommand.Message,
            _ when name.SequenceEqual("ACK"u8) => StompCommand.Ack,
            _ when name.SequenceEqual("NACK"u8) => StompCommand.Nack,
            _ when name.SequenceEqual("SUBSCRIBE"u8) => StompCommand.Subscribe,
            _ when name.SequenceEqual("UNSUBSCRIBE"u8) => StompCommand.Unsubscribe,
            _ when name.SequenceEqual("RECEIPT"u8) => StompCommand.Receipt,
            _ when name.SequenceEqual("CONNECT"u8) => StompCommand.Connect,
            _ when name.SequenceEqual("STOMP"u8) => StompCommand.Stomp,
            _ when name.SequenceEqual("CONNECTED"u8) => StompCommand.Connected,
            _ when name.SequenceEqual("BEGIN"u8) => StompCommand.Begin,
            _ when name.SequenceEqual("COMMIT"u8) => StompCommand.Commit,
            _ when name.SequenceEqual("ABORT"u8) => StompCommand.Abort,
            _ when name.SequenceEqual("DISCONNECT"u8) => StompCommand.Disconnect,
            _ when name.SequenceEqual("ERROR"u8) => StompCommand.Error,
            _ => StompCommand.Heartbeat,
        };
        return command != StompCommand.Heartbeat;
    }

    /// <summary>The wire name as ASCII bytes; empty for <see cref="StompCommand.Heartbeat"/>.</summary>
    public static ReadOnlySpan<byte> GetBytes(StompCommand command) => command switch
    {
        StompCommand.Connect => "CONNECT"u8,
        StompCommand.Stomp => "STOMP"u8,
        StompCommand.Connected => "CONNECTED"u8,
        StompCommand.Send => "SEND"u8,
        StompCommand.Subscribe => "SUBSCRIBE"u8,
        StompCommand.Unsubscribe => "UNSUBSCRIBE"u8,
        StompCommand.Ack => "ACK"u8,
        StompCommand.Nack => "NACK"u8,
        StompCommand.Begin => "BEGIN"u8,
        StompCommand.Commit => "COMMIT"u8,
        StompCommand.Abort => "ABORT"u8,
        StompCommand.Disconnect => "DISCONNECT"u8,
        StompCommand.Message => "MESSAGE"u8,
        StompCommand.Receipt => "RECEIPT"u8,
        StompCommand.Error => "ERROR"u8,
        StompCommand.Heartbeat => [],
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "not a STOMP command"),
    };

    /// <summary>[STOMP 1.2 "Frames and Headers"] only SEND, MESSAGE and ERROR frames may carry a body.</summary>
    public static bool AllowsBody(StompCommand command) =>
        command is StompCommand.Send or StompCommand.Message or StompCommand.Error;

    /// <summary>
    /// [STOMP 1.2 "Value Encoding"] headers are escaped from 1.1 on, except in CONNECT and CONNECTED
    /// frames (kept 1.0-compatible). STOMP is the 1.1 alias of CONNECT and is treated like it: a
    /// passcode with a backslash must mean the same whichever of the two the client sends.
    /// </summary>
    public static bool UsesEscaping(StompCommand command, StompVersion version) =>
        version >= StompVersion.V11
        && command is not (StompCommand.Connect or StompCommand.Stomp or StompCommand.Connected);
}
