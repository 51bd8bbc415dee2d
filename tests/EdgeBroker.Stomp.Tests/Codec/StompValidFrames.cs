namespace EdgeBroker.Stomp.Tests.Codec;

using System.Text;
using EdgeBroker.Stomp.Codec;

/// <summary>The corpus of valid inputs every reader test (contiguous, split, byte by byte, fuzz seeds) runs over.</summary>
public static class StompValidFrames
{
    public static IReadOnlyList<ValidFrameCase> All { get; } =
    [
        new("send-lf", "SEND\ndestination:/queue/a\n\nhello\0", StompVersion.V12,
            [$"Send|destination=/queue/a|body={Hex("hello")}"]),
        new("send-crlf", "SEND\r\ndestination:/queue/a\r\nreceipt:77\r\n\r\nhello\0", StompVersion.V12,
            [$"Send|destination=/queue/a|receipt=77|body={Hex("hello")}"]),
        new("send-crlf-1.0", "SEND\r\ndestination:/queue/a\r\n\r\nx\0", StompVersion.V10,
            [$"Send|destination=/queue/a|body={Hex("x")}"]),
        new("send-empty-body", "SEND\ndestination:/topic/t\n\n\0", StompVersion.V11,
            ["Send|destination=/topic/t|body="]),
        new("connect-not-unescaped", "CONNECT\naccept-version:1.1,1.2\nhost:h\nlogin:u\\ser\npasscode:p:w\\n\n\n\0", StompVersion.V12,
            ["Connect|accept-version=1.1,1.2|host=h|login=u\\\\ser|passcode=p:w\\\\n|body="]),
        new("stomp-not-unescaped", "STOMP\naccept-version:1.2\nhost:h\\c\n\n\0", StompVersion.V12,
            ["Stomp|accept-version=1.2|host=h\\\\c|body="]),
        new("connected-not-unescaped", "CONNECTED\nversion:1.2\nserver:edge\\broker\n\n\0", StompVersion.V12,
            ["Connected|version=1.2|server=edge\\\\broker|body="]),
        new("message-escapes-1.2", "MESSAGE\ndestination:/topic/a\\cb\nx\\ny:l1\\nl2\\r\\\\\nsubscription:0\nmessage-id:m-1\n\nbody\0", StompVersion.V12,
            [$"Message|destination=/topic/a:b|x\\ny=l1\\nl2\\r\\\\|subscription=0|message-id=m-1|body={Hex("body")}"]),
        new("message-escapes-1.1", "MESSAGE\ndestination:/topic/a\\cb\nk:\\\\\\n\n\nb\0", StompVersion.V11,
            [$"Message|destination=/topic/a:b|k=\\\\\\n|body={Hex("b")}"]),
        new("no-escaping-1.0", "SEND\ndestination:/queue/a\\tb\\\nk:v\\c\n\n\0", StompVersion.V10,
            ["Send|destination=/queue/a\\\\tb\\\\|k=v\\\\c|body="]),
        new("content-length-with-nul", "SEND\ndestination:/queue/b\ncontent-length:5\n\na\0b\0c\0", StompVersion.V12,
            ["Send|destination=/queue/b|content-length=5|body=6100620063"]),
        new("content-length-zero-on-subscribe", "SUBSCRIBE\nid:0\ndestination:/topic/x\nack:client\ncontent-length:0\n\n\0", StompVersion.V12,
            ["Subscribe|id=0|destination=/topic/x|ack=client|content-length=0|body="]),
        new("repeated-headers-kept-in-order", "MESSAGE\nfoo:first\nfoo:second\ndestination:/d\n\n\0", StompVersion.V12,
            ["Message|foo=first|foo=second|destination=/d|body="]),
        new("heartbeats-around-frames", "\n\r\n\nSEND\ndestination:/a\n\nx\0\n\r\nDISCONNECT\nreceipt:9\n\n\0\n", StompVersion.V12,
            ["Heartbeat|body=", "Heartbeat|body=", "Heartbeat|body=", $"Send|destination=/a|body={Hex("x")}", "Heartbeat|body=", "Heartbeat|body=", "Disconnect|receipt=9|body=", "Heartbeat|body="]),
        new("empty-value-and-spaces-kept", "SEND\ndestination:/a\nempty:\npadded:  v  \n\n\0", StompVersion.V12,
            ["Send|destination=/a|empty=|padded=  v  |body="]),
        new("raw-colon-in-value", "SEND\ndestination:/a\nurl:http://x:80/\n\n\0", StompVersion.V12,
            ["Send|destination=/a|url=http://x:80/|body="]),
        new("utf8-headers", "SEND\ndestination:/topic/caf\u00e9\n\u65e5\u672c:\u8a9e\n\n\u00e9\0", StompVersion.V12,
            [$"Send|destination=/topic/caf\u00e9|\u65e5\u672c=\u8a9e|body={Hex("\u00e9")}"]),
        new("error-with-body", "ERROR\nmessage:bad frame\ncontent-type:text/plain\n\ndetails\nmore\0", StompVersion.V12,
            [$"Error|message=bad frame|content-type=text/plain|body={Hex("details\nmore")}"]),
        new("ack-nack-1.2", "ACK\nid:12\ntransaction:tx1\n\n\0NACK\nid:13\n\n\0", StompVersion.V12,
            ["Ack|id=12|transaction=tx1|body=", "Nack|id=13|body="]),
        new("transactions", "BEGIN\ntransaction:t\n\n\0COMMIT\ntransaction:t\n\n\0ABORT\ntransaction:t\n\n\0", StompVersion.V11,
            ["Begin|transaction=t|body=", "Commit|transaction=t|body=", "Abort|transaction=t|body="]),
        new("unsubscribe-receipt", "UNSUBSCRIBE\nid:0\n\n\0RECEIPT\nreceipt-id:0\n\n\0", StompVersion.V12,
            ["Unsubscribe|id=0|body=", "Receipt|receipt-id=0|body="]),
        new("no-headers", "DISCONNECT\n\n\0", StompVersion.V10,
            ["Disconnect|body="]),
        new("content-length-first-wins", "SEND\ndestination:/a\ncontent-length:3\ncontent-length:junk\n\na\0b\0", StompVersion.V12,
            ["Send|destination=/a|content-length=3|content-length=junk|body=610062"]),
        new("binary-body", "SEND\ndestination:/a\ncontent-length:4\n\n\u0001\u0002\n\r\0", StompVersion.V12,
            ["Send|destination=/a|content-length=4|body=01020A0D"]),
        new("raw-cr-inside-value-kept", "SEND\ndestination:/a\nk:a\rb\n\n\0", StompVersion.V11,
            ["Send|destination=/a|k=a\\rb|body="]),
        new("partial-frame-waits", "SEND\ndestination:/a\n\nhel", StompVersion.V12,
            []),
    ];

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in All)
        {
            data.Add(c.Name);
        }

        return data;
    }

    public static ValidFrameCase Get(string name) => All.Single(c => c.Name == name);

    public static string Hex(string text) => Convert.ToHexString(Encoding.UTF8.GetBytes(text));
}
