namespace EdgeBroker.Stomp.Tests.Codec;

using System.Reflection;
using EdgeBroker.Stomp.Codec;

/// <summary>The codec is a pure function of bytes: no Core, no ASP.NET, no I/O types in its signatures.</summary>
[Trait("Category", "Unit")]
public sealed class StompCodecLayeringTests
{
    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    [Fact]
    public void CodecTypesMentionNoCoreAspNetOrIoTypes()
    {
        var codecTypes = typeof(StompFrameReader).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(StompFrameReader).Namespace)
            .ToList();
        Assert.Contains(typeof(StompFrameWriter), codecTypes);

        var offenders = codecTypes
            .SelectMany(t => SignatureTypes(t).Select(used => (t, used)))
            .Where(pair => IsForbidden(pair.used))
            .Select(pair => $"{pair.t.Name} uses {pair.used.FullName}")
            .Distinct()
            .ToList();
        Assert.Empty(offenders);
    }

    private static IEnumerable<Type> SignatureTypes(Type type)
    {
        foreach (var field in type.GetFields(All))
        {
            yield return field.FieldType;
        }

        foreach (var property in type.GetProperties(All))
        {
            yield return property.PropertyType;
        }

        foreach (var method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            if (method is MethodInfo info)
            {
                yield return info.ReturnType;
            }

            foreach (var parameter in method.GetParameters())
            {
                yield return parameter.ParameterType;
            }
        }
    }

    private static bool IsForbidden(Type type)
    {
        while (type.HasElementType)
        {
            type = type.GetElementType()!;
        }

        var assembly = type.Assembly.GetName().Name ?? "";
        var ns = type.Namespace ?? "";
        return assembly.StartsWith("EdgeBroker.Core", StringComparison.Ordinal)
            || assembly.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
            || ns.StartsWith("System.IO.Pipelines", StringComparison.Ordinal)
            || ns.StartsWith("System.Net", StringComparison.Ordinal)
            || (type.IsGenericType && type.GetGenericArguments().Any(IsForbidden));
    }
}
