namespace EdgeBroker.Core.Routing;

/// <summary>The <c>x-match</c> argument of a headers binding (RabbitMQ semantics). Values reach configuration; keep them stable.</summary>
public enum HeaderMatchMode
{
    /// <summary><c>all</c> (the default): every argument is present with an equal value; keys starting <c>x-</c> are ignored.</summary>
    All = 0,
    /// <summary><c>any</c>: at least one argument matches; keys starting <c>x-</c> are ignored.</summary>
    Any = 1,
    /// <summary><c>all-with-x</c>: like <see cref="All"/> but <c>x-</c> keys (other than <c>x-match</c>) count too.</summary>
    AllWithX = 2,
    /// <summary><c>any-with-x</c>: like <see cref="Any"/> but <c>x-</c> keys (other than <c>x-match</c>) count too.</summary>
    AnyWithX = 3,
}
