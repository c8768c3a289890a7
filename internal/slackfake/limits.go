package slackfake

// LimitTable is every Block Kit, message and Socket Mode limit the fake
// enforces, in one place. Values come from docs.slack.dev (Block Kit
// reference pages, views, chat.postMessage) and slack-go's socketmode
// package. Lengths count characters (runes), not bytes.
type LimitTable struct {
	MessageBlocks int // blocks per message
	SurfaceBlocks int // blocks per modal or Home tab

	MessageText int // chat.* text; longer answers msg_too_long

	BlockID int // block_id length; must also be unique per surface

	SectionText      int // section text, 1..SectionText
	SectionFields    int // section fields count
	SectionFieldText int // each section field

	HeaderText int // header text (plain_text only)

	ActionsElements int // elements in an actions block
	ContextElements int // elements in a context block
	ContextText     int // each text element of a context block

	ButtonText  int // button text (plain_text)
	ButtonValue int // button value
	ButtonURL   int // button url
	ActionID    int // action_id of any element

	OptionText        int // option text in selects and overflow menus
	OptionValue       int // option value
	OptionDescription int // option description
	SelectOptions     int // options in a static select
	OverflowOptions   int // options in an overflow menu
	RadioOptions      int // options in radio buttons and checkboxes
	Placeholder       int // placeholder text

	InputLabel    int // input block label
	InputHint     int // input block hint
	TextInputMax  int // plain_text_input max_length upper bound
	ImageURL      int // image_url
	ImageAltText  int // alt_text
	MarkdownBlock int // markdown block text

	ViewTitle           int // modal title, submit and close, each
	ViewCallbackID      int // callback_id
	ViewExternalID      int // external_id
	ViewPrivateMetadata int // private_metadata
	ViewBytes           int // whole view JSON; beyond is view_too_large

	AckBytes int // Socket Mode response frame; Slack drops frames this big

	TriggerSeconds     int // trigger_id lifetime
	ResponseURLUses    int // response_url uses…
	ResponseURLMinutes int // …within this many minutes
}

// limits is the table the fake applies.
var limits = LimitTable{
	MessageBlocks: 50,
	SurfaceBlocks: 100,

	MessageText: 40000,

	BlockID: 255,

	SectionText:      3000,
	SectionFields:    10,
	SectionFieldText: 2000,

	HeaderText: 150,

	ActionsElements: 25,
	ContextElements: 10,
	ContextText:     3000,

	ButtonText:  75,
	ButtonValue: 2000,
	ButtonURL:   3000,
	ActionID:    255,

	OptionText:        75,
	OptionValue:       150,
	OptionDescription: 75,
	SelectOptions:     100,
	OverflowOptions:   5,
	RadioOptions:      10,
	Placeholder:       150,

	InputLabel:    2000,
	InputHint:     2000,
	TextInputMax:  3000,
	ImageURL:      3000,
	ImageAltText:  2000,
	MarkdownBlock: 12000,

	ViewTitle:           24,
	ViewCallbackID:      255,
	ViewExternalID:      255,
	ViewPrivateMetadata: 3000,
	ViewBytes:           250000,

	AckBytes: 20 * 1024,

	TriggerSeconds:     3,
	ResponseURLUses:    5,
	ResponseURLMinutes: 30,
}

// Limits returns the limit table the fake enforces.
func Limits() LimitTable { return limits }
