namespace EdgeBroker.Stomp.Tests.Codec;

using EdgeBroker.Stomp.Codec;

/// <summary>A well-formed input and the frames it must decode to (in <see cref="StompParse.Describe"/> form).</summary>
public sealed record ValidFrameCase(string Name, string Raw, StompVersion Version, string[] Expected)
{
    public byte[] Bytes => StompParse.Bytes(Raw);

    public override string ToString() => Name;
}
