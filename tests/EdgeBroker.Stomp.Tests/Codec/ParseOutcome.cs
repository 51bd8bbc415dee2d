namespace EdgeBroker.Stomp.Tests.Codec;

using EdgeBroker.Stomp.Codec;

/// <summary>Everything a read loop produced from one input: frames (as text), the error kind if any, and the unread tail.</summary>
internal sealed record ParseOutcome(IReadOnlyList<string> Frames, StompErrorKind? Error, long Unread)
{
    public override string ToString() =>
        $"frames=[{string.Join(" | ", Frames)}] error={Error?.ToString() ?? "none"} unread={Unread}";

    public bool SameAs(ParseOutcome other) =>
        Frames.SequenceEqual(other.Frames) && Error == other.Error && Unread == other.Unread;
}
