namespace EdgeBroker.Stomp.Tests.Codec;

using EdgeBroker.Stomp.Codec;

/// <summary>One row of the malformed-input table: raw text (\0 for NUL), version, limits and the error the reader must raise.</summary>
public sealed record MalformedFrameCase(string Name, string Raw, StompVersion Version, StompErrorKind Expected, StompCodecLimits? Limits = null)
{
    public byte[] Bytes => StompRawText.Bytes(Raw);

    public StompCodecLimits EffectiveLimits => Limits ?? StompCodecLimits.Default;

    public override string ToString() => Name;
}
