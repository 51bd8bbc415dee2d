namespace EdgeBroker.Stomp.Codec;

/// <summary>When <see cref="StompFrameWriter"/> adds a <c>content-length</c> header the caller did not supply.</summary>
public enum StompContentLengthMode : byte
{
    /// <summary>Only when the body needs it to survive: it contains NUL or is not valid UTF-8 (binary).</summary>
    WhenNeeded = 0,

    /// <summary>On every SEND, MESSAGE and ERROR frame, even with an empty body.</summary>
    Always = 1,
}
