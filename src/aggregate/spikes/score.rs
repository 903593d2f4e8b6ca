//! How surprising a count is: the signed root of the negative-binomial deviance.
//!
//! A z-score `(y − μ)/√V` treats a count as Gaussian, which it is not when μ is a few
//! errors per minute: 9 errors against 2 expected is far rarer than 2 against 9 is. The
//! deviance is the log-likelihood ratio of "the rate is y" against "the rate is μ", so
//! its signed root behaves like a standard normal on *both* small and large counts, and
//! one threshold means about the same false-alarm rate at night and at noon.

/// Below this κ the negative binomial is the Poisson for every count we can see, and
/// the Poisson form avoids dividing by a vanishing κ.
const KAPPA_POISSON: f64 = 1e-9;

/// The expected count never goes below this, so a count over a zero baseline gives a
/// large but finite score (scores end up in JSON).
const MU_FLOOR: f64 = 1e-6;

/// Signed root of the deviance of count `y` against mean `mu` with over-dispersion
/// `kappa` (variance μ + κμ²):
///
/// z = sign(y−μ)·√(2[y ln(y/μ) − (y + 1/κ) ln((1+κy)/(1+κμ))]),
///
/// and, as κ → 0, the Poisson deviance 2[y ln(y/μ) − (y − μ)].
pub(super) fn z(y: f64, mu: f64, kappa: f64) -> f64 {
    let y = y.max(0.0);
    if y == mu {
        return 0.0;
    }
    let mu = mu.max(MU_FLOOR);
    let y_log = if y > 0.0 { y * (y / mu).ln() } else { 0.0 };
    let half = if kappa < KAPPA_POISSON {
        y_log - (y - mu)
    } else {
        // (y + 1/κ)·ln((1+κy)/(1+κμ)) written as (1+κy)·ln_1p(x)/κ with
        // x = κ(y−μ)/(1+κμ): exact algebra, but it keeps its precision when κ is small
        // where the textbook form subtracts two nearly equal logarithms.
        let x = kappa * (y - mu) / (1.0 + kappa * mu);
        y_log - (1.0 + kappa * y) * x.ln_1p() / kappa
    };
    // Rounding can leave a tiny negative where y ≈ μ.
    let d = (2.0 * half).max(0.0).sqrt();
    if y > mu { d } else { -d }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_when_equal_and_sign_follows_excess() {
        assert_eq!(z(5.0, 5.0, 0.0), 0.0);
        assert!(z(9.0, 2.0, 0.0) > 0.0);
        assert!(z(2.0, 9.0, 0.0) < 0.0);
        // Skewed like counts: 9 over 2 is more surprising than 2 under 9.
        assert!(z(9.0, 2.0, 0.0) > -z(2.0, 9.0, 0.0));
    }

    #[test]
    fn poisson_values() {
        // 2[y ln(y/μ) − (y − μ)] by hand.
        let want = (2.0 * (20.0 * (20.0f64 / 5.0).ln() - 15.0)).sqrt();
        assert!((z(20.0, 5.0, 0.0) - want).abs() < 1e-12);
        // y = 0: 2μ.
        assert!((z(0.0, 3.0, 0.0) + 6.0f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn negative_binomial_tends_to_poisson_and_is_milder() {
        let p = z(30.0, 10.0, 0.0);
        let tiny = z(30.0, 10.0, 1e-7);
        assert!((p - tiny).abs() < 1e-4, "{p} vs {tiny}");
        let nb = z(30.0, 10.0, 0.1);
        assert!(nb > 0.0 && nb < p);
        // The textbook form, for a κ where it is still accurate.
        let (y, mu, k): (f64, f64, f64) = (30.0, 10.0, 0.1);
        let want = (2.0
            * (y * (y / mu).ln() - (y + 1.0 / k) * ((1.0 + k * y) / (1.0 + k * mu)).ln()))
        .sqrt();
        assert!((nb - want).abs() < 1e-9);
        // y = 0 under NB: 2 ln(1+κμ)/κ.
        let want0 = (2.0 * (1.0f64 + 0.1 * 10.0).ln() / 0.1).sqrt();
        assert!((z(0.0, 10.0, 0.1) + want0).abs() < 1e-9);
    }

    #[test]
    fn extremes_stay_finite() {
        for (y, mu, k) in [
            (0.0, 0.0, 0.0),
            (5.0, 0.0, 0.0),
            (1e15, 1e3, 0.0),
            (1e15, 1e15 * 1.01, 0.5),
            (1e3, 1e15, 1e-3),
            (7.0, 1e-300, 1e6),
        ] {
            let s = z(y, mu, k);
            assert!(s.is_finite(), "z({y}, {mu}, {k}) = {s}");
        }
        assert_eq!(z(0.0, 0.0, 0.0), 0.0);
    }
}
