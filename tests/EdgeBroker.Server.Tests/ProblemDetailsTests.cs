namespace EdgeBroker.Server.Tests;

using System.Net;
using System.Text;
using System.Text.Json;

/// <summary>Every API error is an RFC 7807 problem document with the status and, for publishes, the outcome.</summary>
[Trait("Category", "Integration")]
public sealed class ProblemDetailsTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = doc.RootElement.Clone();
        Assert.Equal((int)status, root.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("title").GetString()));
        return root;
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    [InlineData("null")]
    [InlineData("")]
    public async Task MalformedJsonIsABadRequestProblem(string body)
    {
        await using var host = await TestBrokerHost.StartAsync();

        var problem = await AssertProblemAsync(await host.Client.PostAsync("/api/publish", Json(body)), HttpStatusCode.BadRequest);

        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }

    [Theory]
    [InlineData("{\"payload\":\"x\"}", "'topic' is required")]
    [InlineData("{\"topic\":\"a\",\"payload\":\"x\",\"payloadBase64\":\"eA==\"}", "not both")]
    [InlineData("{\"topic\":\"a\",\"payloadBase64\":\"***\"}", "not valid base64")]
    [InlineData("{\"topic\":\"a\",\"qos\":3}", "'qos' must be")]
    public async Task InvalidPublishRequestsNameTheProblem(string body, string expected)
    {
        await using var host = await TestBrokerHost.StartAsync();

        var problem = await AssertProblemAsync(await host.Client.PostAsync("/api/publish", Json(body)), HttpStatusCode.BadRequest);

        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WildcardTopicIsABadRequestWithTheOutcome()
    {
        await using var host = await TestBrokerHost.StartAsync();

        var problem = await AssertProblemAsync(await host.Client.PostAsync("/api/publish", Json("{\"topic\":\"a/+/b\",\"payload\":\"x\"}")), HttpStatusCode.BadRequest);

        Assert.Equal("InvalidTopic", problem.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task DeniedPublishIsForbidden()
    {
        await using var host = await TestBrokerHost.StartAsync();

        var problem = await AssertProblemAsync(await host.Client.PostAsync("/api/publish", Json("{\"topic\":\"forbidden/x\",\"payload\":\"x\"}")), HttpStatusCode.Forbidden);

        Assert.Equal("NotAuthorized", problem.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task FullQueueIsTooManyRequestsAndNothingIsStored()
    {
        await using var host = await TestBrokerHost.StartAsync("--EdgeBroker:Queues:0:Name=small", "--EdgeBroker:Queues:0:MaxLength=1");
        Assert.Equal(HttpStatusCode.OK, (await host.Client.PostAsync("/api/publish", Json("{\"queue\":\"small\",\"payload\":\"1\"}"))).StatusCode);

        var problem = await AssertProblemAsync(await host.Client.PostAsync("/api/publish", Json("{\"queue\":\"small\",\"payload\":\"2\"}")), HttpStatusCode.TooManyRequests);

        Assert.Equal("Rejected", problem.GetProperty("outcome").GetString());
        Assert.Equal(1, host.Broker.Topology.GetQueue("small")!.Ready);
    }

    [Fact]
    public async Task StorageFailureIsInsufficientStorage()
    {
        await using var host = await TestBrokerHost.StartAsync();
        host.Broker.FailStorage = true;

        var problem = await AssertProblemAsync(await host.Client.PostAsync("/api/publish", Json("{\"queue\":\"q\",\"payload\":\"1\"}")), HttpStatusCode.InsufficientStorage);

        Assert.Equal("Failed", problem.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task UnknownQueueIsNotFound()
    {
        await using var host = await TestBrokerHost.StartAsync();

        await AssertProblemAsync(await host.Client.GetAsync("/api/queues/missing"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await host.Client.PostAsync("/api/queues/missing/get?count=1", null), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task InvalidQueueNameIsABadRequest()
    {
        await using var host = await TestBrokerHost.StartAsync();

        await AssertProblemAsync(await host.Client.PutAsync("/api/queues/..bad", Json("{}")), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task UnknownRouteIsAProblemToo()
    {
        await using var host = await TestBrokerHost.StartAsync();

        await AssertProblemAsync(await host.Client.GetAsync("/api/nothing-here"), HttpStatusCode.NotFound);
    }
}
