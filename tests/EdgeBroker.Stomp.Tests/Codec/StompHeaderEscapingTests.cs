namespace EdgeBroker.Stomp.Tests.Codec;

using System.Buffers;
using EdgeBroker.Stomp.Codec;

/// <summary>[STOMP 1.2 "Value Encoding"] the escape table in both directions, per version and per command.</summary>
[Trait("Category", "Conformance")]
[Trait("Spec", "STOMP-1.2-value-encoding")]
public sealed class StompHeaderEscapingTests
{
    // version, command, raw value on the wire, decoded value
    public static TheoryData<StompVersion, StompCommand, string, string> ReadTable() => new()
    {
        { StompVersion.V12, StompCommand.Send, @"a\nb", "a\nb" },
        { StompVersion.V12, StompCommand.Send, @"a\rb", "a\rb" },
        { StompVersion.V12, StompCommand.Send, @"a\cb", "a:b" },
        { StompVersion.V12, StompCommand.Send, @"a\\b", @"a\b" },
        { StompVersion.V12, StompCommand.Send, @"\\n", @"\n" },
        { StompVersion.V12, StompCommand.Message, @"\c\c\n\r\\", "::\n\r\\" },
        { StompVersion.V11, StompCommand.Send, @"a\nb\cc\\d", "a\nb:c\\d" },
        { StompVersion.V10, StompCommand.Send, @"a\nb\cc\\d\t", @"a\nb\cc\\d\t" },
        { StompVersion.V12, StompCommand.Connect, @"p\nw\\\t", @"p\nw\\\t" },
        { StompVersion.V12, StompCommand.Connected, @"s\c", @"s\c" },
        { StompVersion.V11, StompCommand.Stomp, @"x\r", @"x\r" },
    };

    // version, command, value, raw value on the wire
    public static TheoryData<StompVersion, StompCommand, string, string> WriteTable() => new()
    {
        { StompVersion.V12, StompCommand.Message, "a\nb", @"a\nb" },
        { StompVersion.V12, StompCommand.Message, "a\rb", @"a\rb" },
        { StompVersion.V12, StompCommand.Message, "a:b", @"a\cb" },
        { StompVersion.V12, StompCommand.Message, @"a\b", @"a\\b" },
        { StompVersion.V12, StompCommand.Error, "caf\u00e9:\u65e5", "caf\u00e9\\c\u65e5" },
        { StompVersion.V11, StompCommand.Message, "a:b\n\\", @"a\cb\n\\" },
        { StompVersion.V10, StompCommand.Message, @"a:b\", @"a:b\" },
        { StompVersion.V12, StompCommand.Connected, @"edge:1\", @"edge:1\" },
        { StompVersion.V12, StompCommand.Connect, @"p:w\", @"p:w\" },
    };

    [Theory]
    [MemberData(nameof(ReadTable))]
    public void ReaderUnescapesPerVersionAndCommand(StompVersion version, StompCommand command, string raw, string decoded)
    {
        var text = $"{System.Text.Encoding.ASCII.GetString(StompCommandNames.GetBytes(command))}\nk:{raw}\n\n\0";
        var buffer = new ReadOnlySequence<byte>(StompParse.Bytes(text));
        Assert.True(StompFrameReader.TryRead(ref buffer, version, StompCodecLimits.Default, out var frame));
        Assert.Equal(decoded, frame.Get("k"));
    }

    [Theory]
    [MemberData(nameof(WriteTable))]
    public void WriterEscapesPerVersionAndCommand(StompVersion version, StompCommand command, string value, string raw)
    {
        var text = StompFrameWriterTests.Write(command, [new("k", value)], default, version);
        var expectedCommand = System.Text.Encoding.ASCII.GetString(StompCommandNames.GetBytes(command));
        Assert.Equal($"{expectedCommand}\nk:{raw}\n\n\0", text);
    }

    [Fact]
    public void WriterEscapesHeaderNamesToo()
    {
        Assert.Equal("MESSAGE\na\\cb\\nc:v\n\n\0", StompFrameWriterTests.Write(StompCommand.Message, [new("a:b\nc", "v")], default, StompVersion.V12));
    }

    [Theory]
    [InlineData(StompVersion.V11, StompCommand.Send, "a\rb")]
    [InlineData(StompVersion.V10, StompCommand.Send, "a\nb")]
    [InlineData(StompVersion.V10, StompCommand.Send, "a\rb")]
    [InlineData(StompVersion.V12, StompCommand.Connect, "a\nb")]
    [InlineData(StompVersion.V12, StompCommand.Connected, "a\rb")]
    [InlineData(StompVersion.V12, StompCommand.Send, "a\0b")]
    public void WriterRefusesValuesTheFrameCannotCarry(StompVersion version, StompCommand command, string value)
    {
        Assert.Throws<ArgumentException>(() => StompFrameWriterTests.Write(command, [new("k", value)], default, version));
    }

    [Fact]
    public void WriterRefusesAColonInAnUnescapedName()
    {
        Assert.Throws<ArgumentException>(() => StompFrameWriterTests.Write(StompCommand.Connect, [new("a:b", "v")], default, StompVersion.V12));
        Assert.Throws<ArgumentException>(() => StompFrameWriterTests.Write(StompCommand.Send, [new("a:b", "v")], default, StompVersion.V10));
    }
}
