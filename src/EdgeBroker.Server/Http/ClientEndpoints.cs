namespace EdgeBroker.Server.Http;

using EdgeBroker.Core.Clients;
using EdgeBroker.Core.Messages;
using EdgeBroker.Server.Http.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

/// <summary>
/// <c>/api/clients</c>: the connected MQTT, STOMP and SignalR clients (from <see cref="IClientRegistry"/>) and an
/// operator's disconnect (<c>DELETE /api/clients/{protocol}/{clientId}</c>: MQTT 5 clients get DISCONNECT 0x98
/// Administrative action, STOMP clients an ERROR frame, SignalR connections are closed).
/// </summary>
internal static class ClientEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/clients").WithTags("Clients");
        group.MapGet("/", List).Produces<IReadOnlyList<ClientResponse>>();
        group.MapDelete("/{protocol}/{clientId}", Disconnect).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status400BadRequest);
    }

    private static Ok<IReadOnlyList<ClientResponse>> List(IClientRegistry clients)
    {
        IReadOnlyList<ClientResponse> list = [.. clients.Clients.Select(c => new ClientResponse(
            Hub.HubEvents.ProtocolName(c.Protocol),
            c.ClientId,
            c.UserName,
            c.RemoteAddress,
            c.ConnectedAt,
            c.SubscriptionCount?.Invoke()))];
        return TypedResults.Ok(list);
    }

    private static IResult Disconnect(string protocol, string clientId, IClientRegistry clients)
    {
        if (!Enum.TryParse<ProtocolKind>(protocol, ignoreCase: true, out var kind) || kind is ProtocolKind.Internal or ProtocolKind.Http)
        {
            return ApiSupport.BadRequest($"'protocol' must be mqtt, stomp or signalr (was '{protocol}').");
        }

        return clients.Disconnect(kind, clientId, "disconnected through the HTTP API") > 0
            ? TypedResults.NoContent()
            : ApiSupport.NotFound($"No {protocol} client '{clientId}' is connected.");
    }
}
