package pairing

// The constants of the planner's objective; see "The planner's objective"
// in the package documentation.
const (
	// ValueUnit is one point of session value: the value of a newcomer
	// closing the whole way to "knows" on a project at its target bus
	// factor, not counting the finishing bonus.
	ValueUnit = 1_000_000

	riskSlope      = 2.0              // weight 1 + riskSlope·deficit
	finishBonus    = 1.0              // extra weight for a session that makes a knower
	deepShare      = 0.1              // value of depth beyond "knows"
	repeatPenalty  = 0.5              // points lost for a repeat last round
	reviewDiscount = 0.5              // factor for a host who does not know the project
	reviewMinHost  = 0.25             // least familiarity to host a review
	reviewMinGap   = 0.15             // how much more the review host must know
	priorityBonus  = 1 * ValueUnit    // per person who sat out last round
	jitterRange    = ValueUnit / 1000 // tie-breaking noise, below a thousandth of a point
	maxOptions     = 4                // sessions kept per candidate pair
)
