import Typography from '@material-ui/core/Typography';

/** A bulleted list of plain-text sentences (reasons, caveats). */
export const TextList = (props: { items: string[]; className?: string }) => (
  <ul className={props.className}>
    {props.items.map(item => (
      <li key={item}>
        <Typography variant="body2" component="span">
          {item}
        </Typography>
      </li>
    ))}
  </ul>
);
