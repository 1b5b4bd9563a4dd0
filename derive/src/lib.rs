//! `#[derive(Read)]`: a reader of a `serde_json::Value` for a type that also derives serde's
//! `Deserialize`, generated from the same `#[serde(...)]` attributes, with the same answers and
//! the same error messages as serde's derived code read through `value_de` (the crate's tests
//! hold the two to that over generated values).
//!
//! Written for the widget's size (issue 15): serde's derived visitor is a state machine per
//! struct, a slot, a duplicate check and an error path for every field, and it came to 95 KB of
//! the wasm. Here a struct is read field by field in declaration order, each field one call of a
//! helper shared by every field of the same type (`value_de::Object`); when a field fails, a
//! second, cold pass finds the error serde would have reported first (the first bad value in the
//! object's own order, then the first missing field).
//!
//! Understood: `rename_all` (the rules serde applies to fields and variants), `rename`,
//! `default` (field and container), `skip`, `skip_deserializing`, `deserialize_with`,
//! `transparent`; serialisation-only attributes are ignored. Anything else that changes how a
//! type is read (`tag`, `content`, `untagged`, `flatten`, `alias`, `default = "…"`, tuple
//! variants) is a compile error, so that a reader never silently differs from serde's.

#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing))]

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as Tokens};
use quote::{format_ident, quote};
use syn::{parse_macro_input, Attribute, Data, DeriveInput, Error, Fields, LitStr, Result};

#[proc_macro_derive(Read, attributes(serde))]
pub fn derive_read(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(&input).unwrap_or_else(Error::into_compile_error).into()
}

#[derive(Default)]
struct Attrs {
    rename: Option<String>,
    rename_all: Option<String>,
    default: bool,
    skip: bool,
    transparent: bool,
    with: Option<syn::Path>,
    skip_serializing: bool,
    skip_if: Option<syn::Path>,
    tag: Option<String>,
    content: Option<String>,
}

fn attrs(list: &[Attribute]) -> Result<Attrs> {
    let mut out = Attrs::default();
    for attr in list.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            let name = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
            match name.as_str() {
                "rename" => out.rename = Some(meta.value()?.parse::<LitStr>()?.value()),
                "rename_all" => out.rename_all = Some(meta.value()?.parse::<LitStr>()?.value()),
                "default" if meta.input.is_empty() || meta.input.peek(syn::Token![,]) => out.default = true,
                "skip" => {
                    out.skip = true;
                    out.skip_serializing = true;
                }
                "skip_deserializing" => out.skip = true,
                "skip_serializing" => out.skip_serializing = true,
                "tag" => out.tag = Some(meta.value()?.parse::<LitStr>()?.value()),
                "content" => out.content = Some(meta.value()?.parse::<LitStr>()?.value()),
                "transparent" => out.transparent = true,
                "deserialize_with" => out.with = Some(meta.value()?.parse::<LitStr>()?.parse()?),
                "skip_serializing_if" => out.skip_if = Some(meta.value()?.parse::<LitStr>()?.parse()?),
                _ => {
                    return Err(
                        meta.error(format!("#[derive(Read)] does not read `serde({name})`; read this type with serde"))
                    )
                }
            }
            Ok(())
        })?;
    }
    Ok(out)
}

/// The type's generics, each type parameter bound by `bound` (the trait being derived).
fn bounded(generics: &syn::Generics, bound: syn::Path) -> syn::Generics {
    let mut generics = generics.clone();
    for param in generics.type_params_mut() {
        param.bounds.push(syn::TypeParamBound::Trait(syn::TraitBound {
            paren_token: None,
            modifier: syn::TraitBoundModifier::None,
            lifetimes: None,
            path: bound.clone(),
        }));
    }
    generics
}

/// A field's or variant's name in JSON: its own `rename`, else its name (without `r#`) under the
/// container's `rename_all`.
fn json_name(ident: &syn::Ident, own: &Attrs, container: &Attrs, variant: bool) -> Result<String> {
    if let Some(name) = &own.rename {
        return Ok(name.clone());
    }
    let plain = ident.to_string();
    let plain = plain.strip_prefix("r#").unwrap_or(&plain);
    rename(container.rename_all.as_deref(), plain, variant, ident.span())
}

/// serde's `RenameRule`, for the rules this crate uses and their usual companions.
fn rename(rule: Option<&str>, name: &str, variant: bool, span: Span) -> Result<String> {
    let Some(rule) = rule else { return Ok(name.to_string()) };
    let snake = if variant {
        let mut s = String::new();
        for (i, c) in name.char_indices() {
            if c.is_uppercase() && i > 0 {
                s.push('_');
            }
            s.push(c.to_ascii_lowercase());
        }
        s
    } else {
        name.to_string()
    };
    let pascal = || {
        let mut s = String::new();
        let mut up = true;
        for c in snake.chars() {
            if c == '_' {
                up = true;
            } else if up {
                s.push(c.to_ascii_uppercase());
                up = false;
            } else {
                s.push(c);
            }
        }
        s
    };
    Ok(match rule {
        "lowercase" if variant => name.to_ascii_lowercase(),
        "UPPERCASE" if variant => name.to_ascii_uppercase(),
        "lowercase" | "snake_case" => snake,
        "UPPERCASE" | "SCREAMING_SNAKE_CASE" => snake.to_ascii_uppercase(),
        "PascalCase" if variant => name.to_string(),
        "PascalCase" => pascal(),
        "camelCase" => {
            let p = if variant { name.to_string() } else { pascal() };
            let mut chars = p.chars();
            chars.next().map(|c| c.to_ascii_lowercase().to_string() + chars.as_str()).unwrap_or_default()
        }
        "kebab-case" => snake.replace('_', "-"),
        "SCREAMING-KEBAB-CASE" => snake.to_ascii_uppercase().replace('_', "-"),
        other => return Err(Error::new(span, format!("#[derive(Read)]: unknown rename_all rule `{other}`"))),
    })
}

fn expand(input: &DeriveInput) -> Result<Tokens> {
    let name = &input.ident;
    let container = attrs(&input.attrs)?;
    if container.tag.is_some() || container.content.is_some() {
        return Err(Error::new_spanned(
            name,
            "#[derive(Read)] reads externally tagged enums only; read this type with serde",
        ));
    }
    let generics = bounded(&input.generics, syn::parse_quote!(crate::value_de::Read));
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let body = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(_) if container.transparent => {
                return Err(Error::new_spanned(
                    name,
                    "#[derive(Read)]: transparent structs with named fields are not read",
                ));
            }
            Fields::Named(_) => {
                let expecting = format!("struct {name}");
                let build = fields(quote!(Self), &data.fields, &container, true)?;
                quote! {
                    let object = crate::value_de::object(value, #expecting)?;
                    #build
                }
            }
            Fields::Unnamed(f) if f.unnamed.len() == 1 => quote!(crate::value_de::Read::read(value).map(Self)),
            _ => return Err(Error::new_spanned(name, "#[derive(Read)]: only structs with named fields or one field")),
        },
        Data::Enum(data) => {
            let mut names = Vec::new();
            let mut arms = Vec::new();
            for (at, variant) in data.variants.iter().enumerate() {
                let own = attrs(&variant.attrs)?;
                if own.skip || own.default || own.with.is_some() {
                    return Err(Error::new_spanned(variant, "#[derive(Read)]: this variant attribute is not read"));
                }
                let ident = &variant.ident;
                names.push(json_name(ident, &own, &container, true)?);
                arms.push(match &variant.fields {
                    Fields::Unit => quote!(#at => crate::value_de::unit_variant(content).map(|()| Self::#ident),),
                    Fields::Unnamed(f) if f.unnamed.len() == 1 => {
                        quote!(#at => crate::value_de::newtype_variant(content).map(Self::#ident),)
                    }
                    Fields::Named(_) => {
                        let build = fields(quote!(Self::#ident), &variant.fields, &own, false)?;
                        quote!(#at => {
                            let object = crate::value_de::struct_variant(content)?;
                            #build
                        })
                    }
                    Fields::Unnamed(_) => {
                        return Err(Error::new_spanned(variant, "#[derive(Read)]: tuple variants are not read"))
                    }
                });
            }
            quote! {
                let (at, content) = crate::value_de::variant(value, &[#(#names),*])?;
                match at {
                    #(#arms)*
                    _ => Err(crate::value_de::no_such_variant()),
                }
            }
        }
        Data::Union(_) => return Err(Error::new_spanned(name, "#[derive(Read)]: unions are not read")),
    };
    Ok(quote! {
        impl #impl_generics crate::value_de::Read for #name #ty_generics #where_clause {
            #[allow(unused_mut, unused_variables, irrefutable_let_patterns)]
            fn read(value: &serde_json::Value) -> ::core::result::Result<Self, crate::value_de::Error> {
                #body
            }
        }
    })
}

/// Builds `path { … }` from `object` (the struct's entries, a `&serde_json::Map` in scope).
///
/// Every field is read into a local first, and a field that fails is kept as `None` with its
/// error noted in the `value_de::Object`, so that no field's failure returns early: an early
/// return would drop the fields read before it, and that drop code, one path per field, was the
/// bulk of a large struct's reader. Then one pattern takes them all, or the reader returns the
/// error serde's derived code would have met first.
///
/// With a container `default`, a missing field comes from the container's `Default`, built once,
/// as serde does (a derive is not shown the type's other derives, so it cannot know whether that
/// `Default` is derived).
fn fields(path: Tokens, fields: &Fields, container: &Attrs, container_default_allowed: bool) -> Result<Tokens> {
    let container_default = container.default && container_default_allowed;
    let mut names = Vec::new();
    let mut reads = Vec::new();
    let mut patterns = Vec::new();
    let mut locals = Vec::new();
    let mut inits = Vec::new();
    let mut checks = Vec::new();
    for field in fields {
        let own = attrs(&field.attrs)?;
        let Some(ident) = &field.ident else { return Err(Error::new_spanned(field, "#[derive(Read)]: unnamed field")) };
        let ty = &field.ty;
        let from_container = container_default && !own.default;
        if own.skip {
            inits.push(if from_container {
                quote!(#ident: default.#ident,)
            } else {
                quote!(#ident: ::core::default::Default::default(),)
            });
            continue;
        }
        let at = names.len();
        names.push(json_name(ident, &own, container, false)?);
        let local = format_ident!("field_{}", at);
        let defaulted = own.default || container_default;
        let (read, fallible) = match (&own.with, defaulted, from_container) {
            // The tolerant readers take any value: only a missing field can fail.
            (Some(with), true, false) => (quote!(object.with(#at, #with).unwrap_or_default()), false),
            (Some(with), true, true) => {
                (quote!(match object.with(#at, #with) { Some(v) => v, None => default.#ident }), false)
            }
            (Some(with), false, _) => (quote!(object.with_required(#at, #with)), true),
            (None, true, false) => (quote!(object.field_or_default::<#ty>(#at)), true),
            (None, true, true) => (quote!(object.field_or::<#ty>(#at, default.#ident)), true),
            (None, false, _) => (quote!(object.field::<#ty>(#at)), true),
        };
        reads.push(quote!(let #local = #read;));
        patterns.push(if fallible { quote!(Some(#local)) } else { quote!(#local) });
        locals.push(quote!(#local));
        inits.push(quote!(#ident: #local,));
        if own.with.is_none() {
            checks.push(quote!(#at => <#ty as crate::value_de::Read>::read(v).err(),));
        }
    }
    let default_binding =
        if container_default { quote!(let default: Self = ::core::default::Default::default();) } else { quote!() };
    Ok(quote! {
        let mut object = crate::value_de::Object::new(object, &[#(#names),*]);
        #default_binding
        #(#reads)*
        let (#(#patterns,)*) = (#(#locals,)*) else {
            let check = |at: usize, v: &serde_json::Value| -> ::core::option::Option<crate::value_de::Error> {
                match at {
                    #(#checks)*
                    _ => None,
                }
            };
            return Err(object.error(check));
        };
        Ok(#path { #(#inits)* })
    })
}

/// `#[derive(Write)]`: the type as a `serde_json::Value`, as serde's derived `Serialize` writes it
/// (same keys in the same order, same tags), so that its JSON text is the same byte for byte.
/// One call per field of a helper shared by every field (`value_out::Object::put`), instead of
/// serde's code for every serializer a type meets (serde_json's text writer, the JS boundary's).
/// Understood: `rename_all`, `rename`, `skip`, `skip_serializing`, `skip_serializing_if`,
/// `transparent`, externally and adjacently (`tag` with `content`) tagged enums; `serialize_with`,
/// `flatten`, internally tagged enums and tuple variants are compile errors.
#[proc_macro_derive(Write, attributes(serde))]
pub fn derive_write(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand_write(&input).unwrap_or_else(Error::into_compile_error).into()
}

fn expand_write(input: &DeriveInput) -> Result<Tokens> {
    let name = &input.ident;
    let container = attrs(&input.attrs)?;
    let generics = bounded(&input.generics, syn::parse_quote!(crate::value_out::Write));
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let body = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(_) if !container.transparent => {
                let puts = puts(&data.fields, &container, |ident| quote!(&self.#ident))?;
                quote! {
                    let mut object = crate::value_out::Object::default();
                    #(#puts)*
                    object.into()
                }
            }
            Fields::Unnamed(f) if f.unnamed.len() == 1 => quote!(crate::value_out::Write::write(&self.0)),
            _ => return Err(Error::new_spanned(name, "#[derive(Write)]: only structs with named fields or one field")),
        },
        Data::Enum(data) => {
            if container.tag.is_some() != container.content.is_some() {
                return Err(Error::new_spanned(name, "#[derive(Write)]: internally tagged enums are not written"));
            }
            let mut arms = Vec::new();
            for variant in &data.variants {
                let own = attrs(&variant.attrs)?;
                if own.skip || own.skip_serializing || own.with.is_some() {
                    return Err(Error::new_spanned(variant, "#[derive(Write)]: this variant attribute is not written"));
                }
                let ident = &variant.ident;
                let tag = json_name(ident, &own, &container, true)?;
                let (pattern, content) = match &variant.fields {
                    Fields::Unit => (quote!(Self::#ident), None),
                    Fields::Unnamed(f) if f.unnamed.len() == 1 => {
                        (quote!(Self::#ident(content)), Some(quote!(crate::value_out::Write::write(content))))
                    }
                    Fields::Named(named) => {
                        let idents: Vec<_> = named.named.iter().filter_map(|f| f.ident.clone()).collect();
                        let puts = puts(&variant.fields, &own, |ident| quote!(#ident))?;
                        (
                            quote!(Self::#ident { #(#idents),* }),
                            Some(quote!({
                                let mut object = crate::value_out::Object::default();
                                #(#puts)*
                                serde_json::Value::from(object)
                            })),
                        )
                    }
                    Fields::Unnamed(_) => {
                        return Err(Error::new_spanned(variant, "#[derive(Write)]: tuple variants are not written"))
                    }
                };
                let value = match (&container.tag, &container.content, content) {
                    (Some(t), Some(c), Some(content)) => {
                        quote!(crate::value_out::adjacent(#t, #tag, Some((#c, #content))))
                    }
                    (Some(t), Some(_), None) => quote!(crate::value_out::adjacent(#t, #tag, None)),
                    (_, _, Some(content)) => quote!(crate::value_out::tagged(#tag, #content)),
                    (_, _, None) => quote!(serde_json::Value::String(#tag.to_owned())),
                };
                arms.push(quote!(#pattern => #value,));
            }
            quote! {
                #[allow(unused_variables)]
                match self {
                    #(#arms)*
                }
            }
        }
        Data::Union(_) => return Err(Error::new_spanned(name, "#[derive(Write)]: unions are not written")),
    };
    Ok(quote! {
        impl #impl_generics crate::value_out::Write for #name #ty_generics #where_clause {
            fn write(&self) -> serde_json::Value {
                #body
            }
        }
    })
}

/// `object.put(key, value)` for each field written, in declaration order; `access` gives the
/// field's reference from its name.
fn puts(fields: &Fields, container: &Attrs, access: impl Fn(&syn::Ident) -> Tokens) -> Result<Vec<Tokens>> {
    let mut out = Vec::new();
    for field in fields {
        let own = attrs(&field.attrs)?;
        let Some(ident) = &field.ident else {
            return Err(Error::new_spanned(field, "#[derive(Write)]: unnamed field"));
        };
        if own.skip_serializing {
            continue;
        }
        let key = json_name(ident, &own, container, false)?;
        let field = access(ident);
        let put = quote!(object.put(#key, crate::value_out::Write::write(#field)););
        out.push(match &own.skip_if {
            Some(skip) => quote!(if !#skip(#field) { #put }),
            None => put,
        });
    }
    Ok(out)
}
