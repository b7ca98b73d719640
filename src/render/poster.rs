//! The village poster, `{zh,en}/poster/index.html`: one A4 sheet for the notice board with the
//! guide's title, a large QR code of the site's address, the self-check's address, the 12317
//! hotline (Q42) and one line on privacy. People reach the site by scanning it in WeChat, so it
//! exists only when `base_url` in `site.yaml` says where the site is published.
//!
//! The QR code is made at build time by the `qrcode` crate (native only: the pages' engine does
//! not contain it) and inlined as SVG, so the page stays one self-contained file.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

use super::Renderer;
use crate::error::{Diagnostic, Result};
use crate::output::Files;
use crate::Lang;

/// Why a build has no poster, for `build --verbose`; `None` when it has one.
pub fn missing_reason(site: &crate::config::SiteConfig) -> Option<&'static str> {
    site.base_url.is_none().then_some(
        "no poster (zh/poster/, en/poster/): content/site.yaml has no base_url, and the poster's QR code needs the address where site/ is published; set base_url to make it",
    )
}

/// The address the poster of `lang` points to: the site itself (the Chinese home page opens
/// at its root), or the English home page.
pub fn site_address(base: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => base.to_string(),
        Lang::En => format!("{base}en/"),
    }
}

/// `text` as a QR code in an inline SVG element (medium error correction: a printed sheet gets
/// creased and faded). The element scales to its box; its modules stay square and crisp.
pub fn qr_svg(text: &str, label: &str) -> std::result::Result<String, String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|e| format!("cannot make a QR code of `{text}`: {e}"))?;
    let doc = code
        .render::<svg::Color<'_>>()
        .module_dimensions(1, 1)
        .quiet_zone(true)
        .build();
    // The renderer writes a standalone document: keep the <svg> element alone, without its fixed
    // pixel size (CSS sizes it), and name what it shows for screen readers.
    let start = doc.find("<svg").ok_or("the QR renderer wrote no <svg> element")?;
    let mut svg = doc[start..].to_string();
    for attr in ["width", "height"] {
        if let Some(at) = svg.find(&format!(" {attr}=\"")) {
            let value_end = svg[at + attr.len() + 3..]
                .find('"')
                .map(|e| at + attr.len() + 3 + e + 1);
            if let Some(end) = value_end {
                svg.replace_range(at..end, "");
            }
        }
    }
    let escaped = label.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;");
    Ok(svg.replacen(
        "<svg",
        &format!("<svg class=poster-qr role=img aria-label=\"{escaped}\""),
        1,
    ))
}

/// Renders both posters into `files` when the site has a `base_url`.
pub(super) fn render(r: &Renderer<'_>, files: &mut Files) -> Result<()> {
    let Some(base) = r.guide.site.base_url.as_deref() else {
        return Ok(());
    };
    for lang in Lang::ALL {
        let url = site_address(base, lang);
        let check = format!("{base}{}/check/", lang.code());
        let label = match lang {
            Lang::Zh => format!("二维码：{url}"),
            Lang::En => format!("QR code: {url}"),
        };
        let svg = qr_svg(&url, &label).map_err(|e| {
            Diagnostic::new(r.guide.root.join("site.yaml"), e)
                .hint("base_url must be a web address, e.g. https://example.gov.cn/fanpin/")
        })?;
        let mut ctx = r.context(lang, "poster/")?;
        ctx.insert("qr_svg", &svg);
        ctx.insert("site_url", &url);
        ctx.insert("check_url", &check);
        files.insert(
            format!("{}/poster/index.html", lang.code()),
            r.page("poster.html", &ctx)?,
        );
    }
    Ok(())
}
