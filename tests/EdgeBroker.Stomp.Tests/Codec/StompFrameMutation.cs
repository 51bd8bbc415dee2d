namespace EdgeBroker.Stomp.Tests.Codec;

/// <summary>One edit the fuzz property applies to a valid frame. Kind picks the edit; Position is taken modulo the length.</summary>
public sealed record StompFrameMutation(int Kind, int Position, byte Value, int Length)
{
    public const int KindCount = 6;

    public byte[] ApplyTo(byte[] data)
    {
        var list = data.ToList();
        var at = list.Count == 0 ? 0 : Position % list.Count;
        switch (Kind)
        {
            case 0 when list.Count > 0:
                list[at] = Value;
                break;
            case 1:
                list.Insert(at, Value);
                break;
            case 2 when list.Count > 0:
                list.RemoveAt(at);
                break;
            case 3:
                list.RemoveRange(at, list.Count - at);
                break;
            case 4 when list.Count > 0:
                // Duplicate a run: repeats headers, lines, frames.
                var run = Math.Min(Length, list.Count - at);
                list.InsertRange(at, list.GetRange(at, run));
                break;
            case 5 when list.Count > 0:
                list[at] = (byte)(list[at] ^ (1 << (Value % 8)));
                break;
        }

        return [.. list];
    }

    public override string ToString() => $"{Kind}@{Position}:{Value:x2}x{Length}";
}
